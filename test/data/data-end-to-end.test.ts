// A whitespace-separated, date-only log (`id date qty amount`), end to end as
// a user runs it: zkml data → train → export, then the RISC Zero guest
// executes the export and must produce exactly its public output.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { execa } from "execa";
import { hostBuilt, runHost } from "../../src/zkvm/driver.js";
import { zkvm } from "../../src/zkvm/registry.js";
import { writeWhitespaceDateLog } from "./data-logs.js";
import { tempDir } from "../helpers.js";

const zkml = (...args: string[]) => execa("node", [join(import.meta.dirname, "..", "..", "bin", "zkml.js"), ...args], { reject: false });
const dir = tempDir();
const log = writeWhitespaceDateLog(dir, "orders.dat", { transactions: 3000, seed: 5 });
const mappingFlags = [
  "--input",
  log,
  "--customer-col",
  "customer",
  "--timestamp-col",
  "date",
  "--timestamp-format",
  "%Y%m%d",
  "--amount-col",
  "amount",
  "--quantity-col",
  "qty",
];
const risc0 = zkvm("risc0");

/** The cleaning report and window lines every data-using command prints (paths and all). */
const summaryOf = (stdout: string) =>
  stdout
    .split("\n")
    .filter((l) => !l.startsWith("wrote") && !/^model|^-{4}|^(mean|linear|ridge|poly-ridge)\s/.test(l))
    .slice(0, 6)
    .join("\n");

test("whitespace-separated date-only log: data → train → export → RISC Zero execute", { timeout: 300_000 }, async (t) => {
  const data = await zkml("data", ...mappingFlags, "-o", join(dir, "data"));
  assert.equal(data.exitCode, 0, data.stderr);
  assert.match(data.stdout, /orders\.dat \(whitespace-separated, date-only\): 3000 records, \d+ kept, \d+ dropped/);
  assert.match(data.stdout, /duplicates: \d+ exact copies kept \(policy auto: date-only log without a transaction id/);
  assert.match(data.stdout, /horizon \d{4}-\d\d-\d\d … \d{4}-\d\d-\d\d inclusive, 90 days/);
  assert.match(data.stdout, /target customers touched: 0/);
  const window = JSON.parse(readFileSync(join(dir, "data", "window.json"), "utf8"));
  assert.equal(window.window.horizonDays, 90);

  const train = await zkml("train", ...mappingFlags, "-o", join(dir, "models"));
  assert.equal(train.exitCode, 0, train.stderr);
  const out = join(dir, "export");
  const exported = await zkml("export", ...mappingFlags, "--model", "ridge", "-o", out);
  assert.equal(exported.exitCode, 0, exported.stderr);
  assert.equal(summaryOf(train.stdout), summaryOf(data.stdout), "train prints the same cleaning and window summary as data");
  assert.equal(summaryOf(exported.stdout), summaryOf(data.stdout), "export prints the same cleaning and window summary as data");
  for (const f of ["model.bin", "testset.bin", "input.bin", "export.json"]) assert.ok(existsSync(join(out, "ridge", f)), f);

  if (!hostBuilt(risc0)) {
    t.skip(`${risc0.binary} not built (guests/build.sh risc0): guest execution not checked`);
    return;
  }
  const manifest = JSON.parse(readFileSync(join(out, "ridge", "export.json"), "utf8"));
  const run = await runHost(risc0, ["execute", "--input", join(out, "ridge", "input.bin")], { timeoutMs: 240_000 });
  assert.equal(run.exitCode, 0, run.record?.error ?? run.stderrTail);
  assert.equal(run.record!.public_output_hex, manifest.public_output_hex, "the guest's public output is the export's");
});

test("a fully rejected log exits non-zero and shows its cleaning report", async () => {
  const r = await zkml("data", ...mappingFlags.slice(0, 7), "%d.%m.%Y", ...mappingFlags.slice(8), "-o", join(dir, "rejected"));
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /zkml: no valid transactions in .*orders\.dat: every record was dropped/);
  assert.match(r.stderr, /invalid_timestamp\s+3000 +timestamp missing or not in format %d\.%m\.%Y\n\s+e\.g\. row 1 date="\d{8}"/);
});

test("a cutoff after the data exits non-zero naming it", async () => {
  const r = await zkml("data", ...mappingFlags, "--cutoff", "2030-01-01", "-o", join(dir, "late"));
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /zkml: cutoff 2030-01-01 is after the last transaction/);
});
