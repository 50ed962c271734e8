// The zkml CLI as a user runs it: a real process, real files.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { execa } from "execa";
import { Rng } from "../../src/util/rng.js";
import { tempDir, writeCsv } from "../helpers.js";

const zkml = (...args: string[]) => execa("node", [join(import.meta.dirname, "..", "..", "bin", "zkml.js"), ...args], { reject: false });
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
    [["train", "--seed", "abc"], /'--seed <n>' argument 'abc' is invalid\. expected a whole number from 0 to 2147483647/],
    [["train", "--seed", "1e20"], /'--seed <n>' argument '1e20' is invalid\. out of range: expected a whole number from 0 to 2147483647/],
    [["generate", "--seed", "4294967296", "-o", join(dir, "never.csv")], /argument '4294967296' is invalid\. out of range: expected a whole number from 0/],
    [["data", "--max-date-gap-days", "0"], /'--max-date-gap-days <n>' argument '0' is invalid\. out of range: expected a whole number ≥ 1/],
    [["train", "--test-fraction", "1.5"], /'--test-fraction <f>' argument '1\.5' is invalid\. expected a number between 0 and 1/],
    [["export", "-F", "30"], /'-F, --frac-bits <n>' argument '30' is invalid\. out of range: expected a whole number from 1 to 24/],
    [["export", "--model", "lasso"], /'-m, --model <family>' argument 'lasso' is invalid\. Allowed choices are linear, ridge, poly-ridge, all/],
    [["generate", "-n", "0", "-o", join(dir, "never.csv")], /'-n, --transactions <n>' argument '0' is invalid/],
    [["bench-pipeline", "--sizes", "1000,x"], /'--sizes <list>' argument '1000,x' is invalid\. 'x': expected a whole number ≥ 1/],
    [["sweep", "--timeout", "abc"], /'--timeout <minutes>' argument 'abc' is invalid/],
    [["sweep", "--reps", "x"], /'--reps <n>' argument 'x' is invalid/],
    [["sweep", "--max-runs", "x"], /'--max-runs <n>' argument 'x' is invalid/],
    [["sweep", "--zkvm", "risc0,jolt"], /'--zkvm <list>' argument 'risc0,jolt' is invalid\. 'jolt': expected one of risc0, sp1, openvm/],
    [["sweep", "--execute-models", "ridge,lasso"], /'lasso': unknown model 'lasso' \(known: linear, ridge, poly2, poly3; poly-ridge means poly2\)/],
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

/** A date-only log of 3,000 orders by 300 customers over 1997-01-01 … 1998-06-24, plus `extra` lines. */
function retailLog(name: string, extra: string[]): string {
  const rng = new Rng(1);
  const next = () => rng.uniform();
  const lines = ["cust,when,paid", "c0,1997-01-01,10.00", "c1,1998-06-24,10.00"];
  for (let i = 0; i < 2998; i++)
    lines.push(
      `c${Math.floor(next() * 300)},${new Date(Date.UTC(1997, 0, 1 + Math.floor(next() * 540))).toISOString().slice(0, 10)},${(5 + next() * 195).toFixed(2)}`,
    );
  return writeCsv(dir, name, [...lines, ...extra].join("\n") + "\n");
}
const retailFlags = ["--customer-col", "cust", "--timestamp-col", "when", "--timestamp-format", "%Y-%m-%d", "--amount-col", "paid"];

test("one order of 1e300 in the horizon: train exits 1 naming the customer, value and row, and writes no models.json", async () => {
  const log = retailLog("huge.csv", ["c5,1998-06-20,1e300"]);
  const out = join(dir, "huge-models");
  const r = await zkml("train", "--input", log, ...retailFlags, "-o", out);
  assert.equal(r.exitCode, 1, r.stdout);
  assert.match(
    r.stderr,
    /zkml: customer "c5" has spend_90_days = 1e\+300, beyond ±[\d.]+e\+\d+.*its largest order is row 3001 of .*huge\.csv \(amount 1e\+300\)/,
  );
  assert.doesNotMatch(r.stdout, /Infinity|NaN/);
  assert.ok(!existsSync(join(out, "models.json")));
  const exported = await zkml("export", "--input", log, ...retailFlags, "-o", join(dir, "huge-export"));
  assert.equal(exported.exitCode, 1);
  assert.match(exported.stderr, /customer "c5" has spend_90_days = 1e\+300/);
  assert.doesNotMatch(exported.stderr, /fraction bits/);
});

test("rows dated 2099 in a 1997–1998 log are dropped with row, column and value; the windows stay 1997–1998", async () => {
  const log = retailLog("future.csv", ["c2,2099-01-01,10", "c3,2099-01-02,10", "c4,2099-01-03,10", "c5,2099-01-04,10", "c6,2099-01-05,10"]);
  const r = await zkml("data", "--input", log, ...retailFlags, "-o", join(dir, "future-data"));
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /isolated_late_date\s+5 +dated after 1998-06-24, separated from the log's bulk \(1997-01-01 … 1998-06-24\) by more than 365 days/);
  assert.match(r.stdout, /e\.g\. row 3001 when="2099-01-01"; row 3002 when="2099-01-02"/);
  assert.match(r.stdout, /window: calibration 1997-01-01 … 1998-03-26 .*horizon 1998-03-27 … 1998-06-24 inclusive/);
  const strict = await zkml("data", "--input", log, ...retailFlags, "--max-date-gap-days", "40000", "-o", join(dir, "future-kept"));
  assert.match(strict.stdout, /horizon 2098-10-0\d … 2099-01-05/, "a gap wide enough keeps them, as asked");
});

test("an output path that mkdir cannot make fails at once naming what is in the way, before any training", async () => {
  const file = writeCsv(dir, "a-file", "x");
  const blocked = await zkml("train", "-o", join(file, "models"), "--input", join(dir, "never-read.csv"));
  assert.equal(blocked.exitCode, 1);
  assert.match(blocked.stderr, /zkml: output directory .*a-file\/models: .*a-file is a regular file, not a directory/);
  if (existsSync("/proc/self")) {
    // Node's recursive mkdir loops forever here (ENOENT under an existing parent): this hung.
    const log = retailLog("plain.csv", []);
    const args = ["train", "--input", log, ...retailFlags, "-o", "/proc/self/zkml-out"];
    const proc = await execa("node", [join(import.meta.dirname, "..", "..", "bin", "zkml.js"), ...args], { reject: false, timeout: 60_000 });
    assert.equal(proc.timedOut, false, "no hang");
    assert.equal(proc.exitCode, 1);
    assert.match(proc.stderr, /zkml: output directory \/proc\/self\/zkml-out: cannot create \/proc\/self\/zkml-out: ENOENT/);
  }
  const exported = await zkml("export", "-o", join(file, "export"), "--input", join(dir, "never-read.csv"));
  assert.match(exported.stderr, /zkml: parent directory of the export .*a-file: .*a-file is a regular file, not a directory/);
});
