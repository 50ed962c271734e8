// Writes that a killed process cannot leave half-done: write beside, then rename.
import { type Stats, lstatSync, mkdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

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

export class OutputPathError extends Error {
  override name = "OutputPathError";
}

function kindOf(s: Stats): string {
  if (s.isFile()) return "a regular file";
  if (s.isFIFO()) return "a FIFO (named pipe)";
  if (s.isSocket()) return "a socket";
  if (s.isCharacterDevice() || s.isBlockDevice()) return "a device";
  return "not a directory";
}

/**
 * Make `dir` and any missing parents, one level at a time, or fail at once
 * naming the part of the path that is in the way. Not mkdirSync(recursive):
 * Node's loops forever where mkdir keeps answering ENOENT under a parent that
 * exists (it retries the parent, then the child, again and again), as below
 * /proc (`-o /proc/self/x` hung), and its errors name the path given rather
 * than the file that blocks it.
 */
export function ensureDirectory(dir: string, what = "output directory"): void {
  const target = resolve(dir);
  const missing: string[] = [];
  for (let p = target; ; p = dirname(p)) {
    let stats: Stats | undefined;
    try {
      stats = statSync(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // ENOTDIR: something above is not a directory; walking up names it.
      if (code !== "ENOENT" && code !== "ENOTDIR") throw new OutputPathError(`${what} ${dir}: cannot use ${p}: ${(err as Error).message}`);
      if (code === "ENOENT" && lstatSync(p, { throwIfNoEntry: false })?.isSymbolicLink())
        throw new OutputPathError(`${what} ${dir}: ${p} is a symbolic link to nothing`);
    }
    if (stats) {
      if (!stats.isDirectory()) throw new OutputPathError(`${what} ${dir}: ${p} is ${kindOf(stats)}, not a directory`);
      break;
    }
    if (dirname(p) === p) throw new OutputPathError(`${what} ${dir}: not even the root ${p} exists`);
    missing.push(p);
  }
  for (const p of missing.reverse()) {
    try {
      mkdirSync(p);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST" && statSync(p, { throwIfNoEntry: false })?.isDirectory()) continue; // made meanwhile
      throw new OutputPathError(`${what} ${dir}: cannot create ${p}: ${(err as Error).message}`);
    }
  }
}
