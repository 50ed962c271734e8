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
  const cutoff = await zkml("data", "--cutoff", "yesterday-ish");
  assert.equal(cutoff.exitCode, 1);
  assert.match(cutoff.stderr, /--cutoff "yesterday-ish" is not a date/);
});

test("every subcommand has --help", async () => {
  const top = await zkml("--help");
  const commands = [...top.stdout.matchAll(/^ {2}([a-z-]+)(?: \[options\]| \[|\s)/gm)].map((m) => m[1]).filter((c) => c !== "help");
  assert.ok(commands.length >= 12, `subcommands found: ${commands.join(", ")}`);
  const helps = await Promise.all(commands.map((cmd) => zkml(cmd, "--help")));
  helps.forEach((r, i) => {
    assert.equal(r.exitCode, 0, commands[i]);
    assert.match(r.stdout, new RegExp(`Usage: zkml ${commands[i]} `));
  });
});

test("a numeric, list or name option that does not parse stops the command before any work, naming the option and value", async () => {
  const cases: [string[], RegExp][] = [
    [["data", "--horizon", "abc"], /'--horizon <days>' argument 'abc' is invalid\. expected a number > 0/],
    [["train", "--seed", "abc"], /'--seed <n>' argument 'abc' is invalid\. expected a whole number ≥ 0/],
    [["train", "--test-fraction", "1.5"], /'--test-fraction <f>' argument '1\.5' is invalid\. expected a number between 0 and 1/],
    [["export", "-F", "30"], /'-F, --frac-bits <n>' argument '30' is invalid\. expected a whole number from 1 to 24/],
    [["export", "--model", "lasso"], /'-m, --model <family>' argument 'lasso' is invalid\. Allowed choices are linear, ridge, poly-ridge, all/],
    [["generate", "-n", "0", "-o", join(dir, "never.csv")], /'-n, --transactions <n>' argument '0' is invalid/],
    [["bench-pipeline", "--sizes", "1000,x"], /'--sizes <list>' argument '1000,x' is invalid\. 'x': expected a whole number ≥ 1/],
    [["sweep", "--timeout", "abc"], /'--timeout <minutes>' argument 'abc' is invalid/],
    [["sweep", "--reps", "x"], /'--reps <n>' argument 'x' is invalid/],
    [["sweep", "--max-runs", "x"], /'--max-runs <n>' argument 'x' is invalid/],
    [["sweep", "--zkvm", "risc0,jolt"], /'--zkvm <list>' argument 'risc0,jolt' is invalid\. 'jolt': expected one of risc0, sp1, openvm/],
    [["sweep", "--execute-models", "ridge,lasso"], /'lasso': expected one of linear, ridge, poly-ridge/],
    [["sweep", "--prove-sizes", "10,x"], /'--prove-sizes <list>' argument '10,x' is invalid/],
    [["sweep", "--kind", "jolt:core"], /'jolt:core': expected one of risc0, sp1, openvm/],
    [["sweep", "--sha", "fast"], /'fast': expected one of precompile, software/],
    [["sweep", "--cores", "1,x"], /'--cores <list>' argument '1,x' is invalid/],
    [["sweep", "--cores", "4096"], /--cores 4096: cannot prove on 4096 cores, this machine has \d+/],
    [["sweep", "--claim-models", "lasso"], /'--claim-models <list>' argument 'lasso' is invalid/],
    [["sweep", "--preset", "huge"], /argument 'huge' is invalid\. Allowed choices are paper, full, tiny/],
    [["compare-hosts", "--zkvm", "risc0", "--binary", "a", "--n", "0"], /'--n <samples>' argument '0' is invalid/],

    [["build", "jolt"], /value 'jolt' is invalid for argument 'zkvms'\. Allowed choices are risc0, sp1, openvm/],
  ];
  const runs = await Promise.all(cases.map(([args]) => zkml(...args)));
  runs.forEach((r, i) => {
    const [args, message] = cases[i];
    assert.equal(r.exitCode, 1, args.join(" "));
    assert.match(r.stderr, message, args.join(" "));
    assert.equal(r.stdout, "", `${args.join(" ")}: no work before the check`);
  });
  assert.ok(!existsSync(join(dir, "never.csv")));
  // zkml verify keeps exit code 1 for a claim that does not hold: its usage errors exit 2.
  const verify = await zkml("verify", "--zkvm", "jolt", "--proof", "p", "--model", "m", "--data-commitment", "d");
  assert.equal(verify.exitCode, 2);
  assert.match(verify.stderr, /'--zkvm <id>' argument 'jolt' is invalid/);
  assert.equal(verify.stdout, "");
});
