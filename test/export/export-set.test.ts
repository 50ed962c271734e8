// An export is published as a whole set: a reader sees the old set or the new
// one, never a mix, and a killed export (at any moment) changes nothing visible.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { execa } from "execa";
import { publishExportSet } from "../../src/export/export-set.js";
import { writeGeneratedCsv } from "../../src/data/generate.js";
import { tempDir } from "../helpers.js";

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

test("publishing switches the link to the new set, removes the old one, and a failed write publishes nothing", () => {
  const root = tempDir();
  const out = join(root, "export");
  const first = publishExportSet(out, (dir) => writeFileSync(join(dir, "a.txt"), "one"));
  assert.ok(lstatSync(out).isSymbolicLink());
  assert.equal(readFileSync(join(out, "a.txt"), "utf8"), "one");
  const second = publishExportSet(out, (dir) => writeFileSync(join(dir, "a.txt"), "two"));
  assert.notEqual(first, second);
  assert.equal(existsSync(first), false, "the replaced set is removed");
  assert.equal(readFileSync(join(out, "a.txt"), "utf8"), "two");
  assert.throws(
    () =>
      publishExportSet(out, (dir) => {
        writeFileSync(join(dir, "a.txt"), "half");
        throw new Error("disk full");
      }),
    /disk full/,
  );
  assert.equal(readFileSync(join(out, "a.txt"), "utf8"), "two", "the published set is untouched");
  assert.deepEqual(readdirSync(root).sort(), [".export-" + second.split(".export-")[1], "export"].sort(), "no staging directory is left");
});

test("a directory that is not an export is never moved or replaced", () => {
  const root = tempDir();
  const work = join(root, "work");
  mkdirSync(work);
  writeFileSync(join(work, "notes.txt"), "mine");
  assert.throws(() => publishExportSet(work, (dir) => writeFileSync(join(dir, "a.txt"), "x")), /is not an export/);
  assert.equal(readFileSync(join(work, "notes.txt"), "utf8"), "mine");
  assert.deepEqual(readdirSync(root), ["work"], "nothing was written beside it");
});

test("an export directory from before sets existed is kept under a hidden name", () => {
  const root = tempDir();
  const out = join(root, "export");
  mkdirSync(join(out, "ridge"), { recursive: true });
  writeFileSync(join(out, "ridge", "export.json"), "{}");
  publishExportSet(out, (dir) => writeFileSync(join(dir, "b.txt"), "new"));
  const kept = readdirSync(root).find((n) => n.startsWith(".export-previous-"));
  assert.ok(kept && existsSync(join(root, kept, "ridge", "export.json")));
  assert.equal(readFileSync(join(out, "b.txt"), "utf8"), "new");
});

/** Every model of the visible export has binaries matching its manifest, and all share one test set. */
function assertConsistent(out: string): string {
  const families = ["linear", "ridge", "poly-ridge"];
  const dataCommitments = families.map((family) => {
    const dir = join(out, family);
    const manifest = JSON.parse(readFileSync(join(dir, "export.json"), "utf8"));
    assert.equal(sha256(join(dir, "model.bin")), manifest.model.commitment, `${family}: model.bin matches its manifest`);
    assert.equal(sha256(join(dir, "testset.bin")), manifest.test_set.commitment, `${family}: testset.bin matches its manifest`);
    return manifest.test_set.commitment as string;
  });
  assert.equal(new Set(dataCommitments).size, 1, "every model of the set was exported with the same test set");
  return dataCommitments[0];
}

test("an export killed at any moment leaves one complete set visible: the previous one, or the new one once published", { timeout: 300_000 }, async () => {
  const root = tempDir();
  const out = join(root, "export");
  const logs = [1, 2].map((seed) => {
    const csv = join(root, `log-${seed}.csv`);
    writeGeneratedCsv(csv, { transactions: 3000, seed });
    return csv;
  });
  const cli = join(import.meta.dirname, "..", "..", "bin", "zkml.js");
  const exportOf = (csv: string) => execa("node", [cli, "export", "--input", csv, "-o", out], { reject: false });
  const started = performance.now();
  const complete = await exportOf(logs[0]);
  assert.equal(complete.exitCode, 0, complete.stderr);
  const fullMs = performance.now() - started;
  const before = assertConsistent(out);
  // The set the other log exports to, learnt from a complete export elsewhere.
  const elsewhere = join(root, "elsewhere");
  const reference = await execa("node", [cli, "export", "--input", logs[1], "-o", elsewhere], { reject: false });
  assert.equal(reference.exitCode, 0, reference.stderr);
  const after = assertConsistent(elsewhere);
  assert.notEqual(after, before, "the two logs export different test sets");
  // Kill exports of the other log at moments spread over a whole run. A kill
  // that lands after the link switched (the process still removing the old
  // set) shows the new set, whole; from then on the new set is the one to keep.
  let published = before;
  for (const fraction of [0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95]) {
    const run = exportOf(logs[1]);
    await new Promise((done) => setTimeout(done, fraction * fullMs));
    run.kill("SIGKILL");
    const result = await run;
    const visible = assertConsistent(out);
    if (result.exitCode === 0 || visible === after) published = after;
    assert.equal(visible, published, `killed at ${fraction} of a run: a complete set is visible, the old one until the new one is published`);
  }
  const finished = await exportOf(logs[1]);
  assert.equal(finished.exitCode, 0, finished.stderr);
  assert.equal(assertConsistent(out), after, "a finished export replaces the set");
});
