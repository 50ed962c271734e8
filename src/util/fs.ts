// Writes that a killed process cannot leave half-done: write beside, then rename.
import { renameSync, writeFileSync } from "node:fs";

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const partial = `${path}.partial-${process.pid}`;
  writeFileSync(partial, data);
  renameSync(partial, path);
}

/** A timestamp usable in a file name, e.g. 2026-11-25T00-21-50-960Z. */
export function fileStamp(date = new Date()): string {
  return date.toISOString().replace(/[:.]/g, "-");
}
