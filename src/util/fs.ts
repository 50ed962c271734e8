// Writes that a killed process cannot leave half-done: write beside, then rename.
import { renameSync, writeFileSync } from "node:fs";

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  writeAtomically(path, (partial) => writeFileSync(partial, data));
}

/** For writers that take a path (polars, the generator): `write` fills the partial file, which then replaces `path`. */
export function writeAtomically(path: string, write: (partial: string) => void): void {
  const partial = `${path}.partial-${process.pid}`;
  write(partial);
  renameSync(partial, path);
}

/** A timestamp usable in a file name, e.g. 2026-11-25T00-21-50-960Z. */
export function fileStamp(date = new Date()): string {
  return date.toISOString().replace(/[:.]/g, "-");
}
