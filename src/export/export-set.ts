// An export is published as a set: every model's files are written into a new
// directory beside the old export, and `outDir` (a symbolic link) is switched
// to it by one rename, which replaces a link atomically. A reader of
// `outDir/<model>/…` therefore sees the old set or the new one, whole, and
// never models of two runs or a manifest whose commitments do not match the
// binaries beside it; a killed export leaves only its hidden staging directory.
import { existsSync, lstatSync, mkdirSync, readlinkSync, readdirSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { ensureDirectory, fileStamp } from "../util/fs.js";

/** The hidden directories that hold the sets behind `outDir`: `.<name>-<stamp>-<pid>`. */
const setPrefix = (outDir: string) => `.${basename(outDir)}-`;

/** Check, before any work, that an export set can be published at `outDir`: its parent made, nothing else in the way. */
export function prepareExportTarget(outDir: string): void {
  const out = resolve(outDir);
  ensureDirectory(dirname(out), "parent directory of the export");
  if (existsSync(out) && !lstatSync(out).isSymbolicLink() && !looksLikeExport(out))
    throw new Error(`${out} exists and is not an export (it holds other files, or is not a directory): choose another output directory`);
}

/** Writes a new export set with `write(dir)` and publishes it at `outDir`; returns the set's directory. */
export function publishExportSet(outDir: string, write: (dir: string) => void): string {
  const out = resolve(outDir);
  const parent = dirname(out);
  prepareExportTarget(outDir);
  const set = join(parent, `${setPrefix(out)}${fileStamp()}-${process.pid}`);
  mkdirSync(set);
  try {
    write(set);
  } catch (err) {
    rmSync(set, { recursive: true, force: true });
    throw err;
  }
  const previous = currentSet(out);
  if (existsSync(out) && !lstatSync(out).isSymbolicLink()) {
    // An export from before sets existed: keep it under a hidden name (one
    // non-atomic step, once), then link as usual.
    renameSync(out, join(parent, `${setPrefix(out)}previous-${fileStamp()}`));
  }
  const link = join(parent, `.${basename(out)}.link-${process.pid}`);
  rmSync(link, { force: true });
  symlinkSync(basename(set), link);
  renameSync(link, out);
  if (previous && previous !== set) rmSync(previous, { recursive: true, force: true });
  removeAbandonedSets(out, set);
  return set;
}

/** A directory written by an export before sets existed: only model folders with a manifest, and the report. */
function looksLikeExport(dir: string): boolean {
  if (!lstatSync(dir).isDirectory()) return false;
  return readdirSync(dir).every((name) => name === "quantization-report.json" || existsSync(join(dir, name, "export.json")));
}

/** The set `outDir` links to, or null. */
function currentSet(out: string): string | null {
  try {
    return lstatSync(out).isSymbolicLink() ? resolve(dirname(out), readlinkSync(out)) : null;
  } catch {
    return null;
  }
}

/** Staging directories of killed exports (never linked), left by earlier runs. */
function removeAbandonedSets(out: string, keep: string): void {
  const parent = dirname(out);
  for (const name of readdirSync(parent)) {
    const path = join(parent, name);
    if (name.startsWith(setPrefix(out)) && !name.startsWith(`${setPrefix(out)}previous-`) && path !== keep) {
      const pid = Number(name.split("-").pop());
      if (!(pid > 0 && pid !== process.pid && processAlive(pid))) rmSync(path, { recursive: true, force: true });
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
