// The zkml CLI as a user runs it: a real process, real files.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { execa } from "execa";
import { tempDir, writeCsv } from "./helpers.js";

const zkml = (...args: string[]) => execa("node", [join(import.meta.dirname, "..", "bin", "zkml.js"), ...args], { reject: false });
const dir = tempDir();

test("generate → export writes the guest files and a manifest whose score matches the reference", async () => {
  const csv = join(dir, "gen.csv");
  const gen = await zkml("generate", "-n", "3000", "--seed", "1", "-o", csv);
  assert.equal(gen.exitCode, 0, gen.stderr);
  const out = join(dir, "export");
  const r = await zkml("export", "--input", csv, "--model", "ridge", "--out", out, "-F", "14");
  assert.equal(r.exitCode, 0, r.stderr);
  for (const f of ["model.bin", "testset.bin", "input.bin", "export.json"]) assert.ok(existsSync(join(out, "ridge", f)), f);
  const manifest = JSON.parse(readFileSync(join(out, "ridge", "export.json"), "utf8"));
  assert.equal(manifest.model.frac_bits, 14);
  assert.match(r.stdout, /ridge\s+→ .*R² -?\d\.\d{4}/);
});

test("bad input fails with one clear line and exit code 1", async () => {
  const missing = await zkml("data", "--input", join(dir, "nope.csv"));
  assert.equal(missing.exitCode, 1);
  assert.match(missing.stderr, /^zkml: transaction file .*nope\.csv does not exist/);
  const other = await zkml("data", "--input", writeCsv(dir, "other.csv", "a,b\n1,2\n"));
  assert.equal(other.exitCode, 1);
  assert.match(other.stderr, /missing column\(s\) CustomerID/);
  const bits = await zkml("export", "--input", writeCsv(dir, "x.csv", "a\n1\n"), "-F", "30");
  assert.equal(bits.exitCode, 1);
  const cutoff = await zkml("data", "--cutoff", "yesterday-ish");
  assert.equal(cutoff.exitCode, 1);
  assert.match(cutoff.stderr, /--cutoff "yesterday-ish" is not a date/);
});

test("every subcommand has --help", async () => {
  for (const cmd of ["data", "train", "export", "generate", "vectors", "bench-pipeline"]) {
    const r = await zkml(cmd, "--help");
    assert.equal(r.exitCode, 0, cmd);
    assert.match(r.stdout, new RegExp(`Usage: zkml ${cmd}`));
  }
});
