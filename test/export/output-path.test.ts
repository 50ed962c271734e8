// Output directories: made level by level, or refused at once naming what is
// in the way (Node's recursive mkdir hung below /proc and named only the path given).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { OutputPathError, ensureDirectory } from "../../src/util/fs.js";
import { tempDir } from "../helpers.js";

const dir = tempDir();

test("ensureDirectory makes missing parents and accepts an existing directory", () => {
  const deep = join(dir, "a", "b", "c");
  ensureDirectory(deep);
  assert.ok(statSync(deep).isDirectory());
  ensureDirectory(deep);
});

test("ensureDirectory names the regular file, FIFO or dangling link in the way", () => {
  const file = join(dir, "file");
  writeFileSync(file, "x");
  assert.throws(
    () => ensureDirectory(join(file, "x", "y")),
    (e: Error) => e instanceof OutputPathError && e.message.endsWith(`${file} is a regular file, not a directory`),
  );
  const fifo = join(dir, "fifo");
  execFileSync("mkfifo", [fifo]);
  assert.throws(() => ensureDirectory(fifo), new RegExp(`${fifo} is a FIFO \\(named pipe\\), not a directory`));
  const dangling = join(dir, "dangling");
  symlinkSync(join(dir, "nowhere"), dangling);
  assert.throws(() => ensureDirectory(join(dangling, "x")), /dangling is a symbolic link to nothing/);
  assert.equal(existsSync(join(dir, "nowhere")), false);
});

test("ensureDirectory fails at once where mkdir keeps answering ENOENT (below /proc)", { skip: !existsSync("/proc/self") && "no /proc" }, () => {
  assert.throws(() => ensureDirectory("/proc/self/zkml-x/y"), /cannot create \/proc\/self\/zkml-x: ENOENT/);
});
