// The driver and sweeps against the real hosts on tiny inputs: timeouts and
// failures are recorded, a sweep killed mid-run resumes without losing or
// duplicating runs, and a real proof becomes tidy results, a summary, figures
// and a verifiable claim. CI requires the hosts (ZKML_REQUIRE_ZKVMS).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { test } from "node:test";
import pl from "nodejs-polars";
import { compareHosts } from "../../src/bench/compare-hosts.js";
import { runPaper, writeReport } from "../../src/paper.js";
import { planSweep } from "../../src/bench/plan.js";
import { runSweep } from "../../src/bench/sweep.js";
import { readSweepRows } from "../../src/bench/sweep-file.js";
import type { SweepSpec } from "../../src/bench/sweep-spec.js";
import { loadResults } from "../../src/bench/tidy.js";
import { createProgress } from "../../src/bench/progress.js";
import { writeGeneratedCsv } from "../../src/data/generate.js";
import { buildExport } from "../../src/export/write.js";
import { PROJECT_ROOT } from "../../src/paths.js";
import { runTraining } from "../../src/pipeline.js";
import { hostArgs, hostBuilt, runHost } from "../../src/zkvm/driver.js";
import { zkvm } from "../../src/zkvm/registry.js";
import { verifyClaim } from "../../src/zkvm/verify.js";
import { execa } from "execa";
import { defaultHostCpu, tempDir } from "../helpers.js";

const risc0 = zkvm("risc0");
const required = (process.env.ZKML_REQUIRE_ZKVMS ?? "").split(",").includes("risc0");
const skip = hostBuilt(risc0) ? false : required ? false : "RISC Zero host not built (guests/build.sh risc0)";
const dir = tempDir();
const csv = join(dir, "small.csv");
writeGeneratedCsv(csv, { transactions: 1500, seed: 11 });
const { trained } = runTraining({ input: csv });
/** Progress output is not under test here. */
const quiet = () => createProgress({ out: new Writable({ write: (_chunk, _encoding, done) => done() }), interactive: false });

const executeSpec: SweepSpec = {
  zkvms: ["risc0"],
  execute: { models: ["ridge", "poly2"], sizes: [10, 100], sha: ["precompile", "software"] },
  prove: { models: ["ridge"], sizes: [], sha: ["precompile"], repetitions: 0 },
  warmup: false,
  // A 2^16-cycle RISC Zero proof takes 35 s on an idle 2-core machine and passed
  // 120 s with other work on it: the limit is for hung hosts, not a benchmark.
  timeoutMs: 600_000,
  fracBits: 16,
};

test("driver: a run's record, its external peak memory, a failure and a timeout", { skip }, async () => {
  const input = join(dir, "input.bin");
  writeFileSync(input, buildExport(trained.models.ridge, trained.test, trained.target, 16).input);
  const ok = await runHost(risc0, hostArgs.execute(input));
  assert.equal(ok.exitCode, 0);
  assert.ok(ok.record?.ok);
  assert.ok(ok.peakRssExternalBytes! > 1 << 20, "measured from outside by /usr/bin/time");
  // The host's VmHWM and the kernel's ru_maxrss describe the same process.
  assert.ok(Math.abs(ok.peakRssExternalBytes! - ok.record!.peak_rss_bytes) < 0.2 * ok.peakRssExternalBytes!);
  assert.ok(ok.record!.host_ms <= ok.wallMs);

  const missing = await runHost(risc0, hostArgs.execute(join(dir, "nope.bin")));
  assert.equal(missing.exitCode, 1);
  assert.equal(missing.record?.ok, false);
  assert.match(missing.record!.error!, /nope\.bin/);

  const proof = join(dir, "timeout.proof");
  const slow = await runHost(risc0, hostArgs.prove({ input, proof }), { timeoutMs: 1500 });
  assert.ok(slow.timedOut);
  assert.equal(slow.exitCode, null);
  assert.equal(slow.record, null);
  assert.ok(slow.wallMs < 10_000);
  // The prover itself was killed, not only the /usr/bin/time wrapper.
  const alive = await runHostsMatching(proof);
  assert.equal(alive, 0, "no host process survives its timeout");
});

/** How many processes have `needle` on their command line. */
async function runHostsMatching(needle: string): Promise<number> {
  const { readdirSync } = await import("node:fs");
  let count = 0;
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(needle)) count++;
    } catch {
      // the process ended while we looked
    }
  }
  return count;
}

test("a sweep killed mid-run resumes: nothing lost, nothing run twice", { skip }, async () => {
  const file = join(dir, "resume.jsonl");
  const planned = planSweep(executeSpec).runs;
  // The CLI in a child process, killed (SIGKILL: no clean-up) once two runs are in the file.
  const child = spawn(
    process.execPath,
    [
      join(PROJECT_ROOT, "bin", "zkml.js"),
      "sweep",
      "--name",
      "resume",
      "-o",
      dir,
      "--preset",
      "tiny",
      "--zkvm",
      "risc0",
      "--execute-models",
      "ridge,poly-ridge",
      "--execute-sizes",
      "10,100",
      "--sha",
      "precompile,software",
      "--prove-sizes",
      "",
      "-i",
      csv,
    ],
    { stdio: "ignore", env: { ...process.env, CI: "1" } },
  );
  const exited = new Promise((resolve) => child.on("exit", resolve));
  const lines = () => (existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean).length : 0);
  const deadline = Date.now() + 120_000;
  while (lines() < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  child.kill("SIGKILL");
  await exited;
  const before = readFileSync(file, "utf8");
  const kept = readSweepRows(file);
  assert.ok(kept.length >= 2 && kept.length < planned.length, `killed mid-sweep (${kept.length} of ${planned.length} runs written)`);

  const resumed = await runSweep("resume", executeSpec, { file, trained, progress: quiet() });
  assert.equal(resumed.skipped, kept.filter((r) => r.ok).length);
  assert.equal(resumed.ran + resumed.skipped, planned.length);
  const after = readFileSync(file, "utf8");
  assert.ok(after.startsWith(before.slice(0, before.lastIndexOf("\n") + 1)), "rows written before the kill are untouched");
  const okKeys = readSweepRows(file)
    .filter((r) => r.ok)
    .map((r) => r.key);
  assert.equal(new Set(okKeys).size, okKeys.length, "no run recorded twice");
  assert.deepEqual(new Set(okKeys), new Set(planned.map((r) => r.key)), "every planned run recorded");
  assert.ok(
    readSweepRows(file).every((r) => r.matches_reference),
    "every guest output equals the TypeScript reference",
  );

  const again = await runSweep("resume", executeSpec, { file, trained, progress: quiet() });
  assert.equal(again.ran, 0, "a finished sweep re-runs nothing");
  assert.equal(statSync(file).size, after.length);

  // Resuming with other data would mix two experiments: refused, file untouched.
  const otherCsv = join(dir, "other.csv");
  writeGeneratedCsv(otherCsv, { transactions: 1500, seed: 12 });
  const other = runTraining({ input: otherCsv }).trained;
  await assert.rejects(runSweep("resume", executeSpec, { file, trained: other, progress: quiet() }), /was recorded on other inputs/);
  assert.equal(readFileSync(file, "utf8"), after);
});

test("a real proof: results, summary, figures and a third party's check of the claim", { skip }, async () => {
  const file = join(dir, "prove.jsonl");
  const spec: SweepSpec = {
    ...executeSpec,
    execute: { models: ["ridge"], sizes: [10, 100], sha: ["precompile", "software"] },
    prove: { models: ["ridge"], sizes: [10], sha: ["precompile"], repetitions: 1 },
  };
  const sweep = await runSweep("prove", spec, { file, trained, workDir: join(dir, "work"), progress: quiet() });
  assert.equal(sweep.failed, 0);
  const rows = loadResults([file]);
  const proof = rows.find((r) => r.command === "prove")!;
  assert.ok(proof.prove_ms! > 0 && proof.verify_ms! > 0 && proof.proof_bytes! > 0 && !proof.dev_mode);
  assert.ok(proof.driver_overhead! >= 0 && proof.driver_overhead! < 0.5);

  const out = join(dir, "report");
  const { files, figures } = await writeReport(rows, "prove", out, "test report");
  assert.equal(pl.readParquet(files.parquet).height, rows.length);
  assert.equal(files.claimsCsv, null, "no claim proof in these rows: no claims.csv named");
  const hostCpu = defaultHostCpu("risc0") ?? "baseline";
  assert.match(
    readFileSync(files.summaryMarkdown, "utf8"),
    new RegExp(`\\| risc0 3\\.\\d+\\.\\d+ \\| ${hostCpu} \\| \\d+ \\| composite \\| ridge \\| precompile \\| 10 \\| 1 \\|`),
  );
  assert.deepEqual(
    figures.map((f) => f.name),
    ["prove-time", "verify-time", "cycles", "proof-size", "peak-memory", "throughput", "precompiles"],
  );
  for (const f of figures) {
    assert.match(readFileSync(join(out, "figures", `${f.name}.svg`), "utf8"), /^<svg[^>]*class="main-svg"/);
    assert.deepEqual([...readFileSync(join(out, "figures", `${f.name}.png`)).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  }
  assert.match(readFileSync(join(out, "figures", "prove-time.svg"), "utf8"), /RISC Zero composite/);

  const proofFile = join(dir, "work", "risc0-composite-ridge-n10-precompile.proof");
  const r2 = proof.r2!.toFixed(3);
  const claim = { zkvm: "risc0", proof: proofFile, model: proof.model_commitment!, dataCommitment: proof.data_commitment! };
  const pass = await verifyClaim({ ...claim, claim: { r2 } });
  assert.ok(pass.ok, pass.reasons.join("; "));
  const wrongScore = await verifyClaim({ ...claim, claim: { r2: (Number(r2) + 0.01).toFixed(3) } });
  assert.match(
    wrongScore.reasons.join(),
    new RegExp(`claimed R² ${(Number(r2) + 0.01).toFixed(3)}, but the proof shows R² ${proof.r2}, outside the accepted \\[`),
  );
  const wrongData = await verifyClaim({ ...claim, dataCommitment: "0".repeat(64), claim: { r2 } });
  assert.ok(!wrongData.ok);
  assert.match(wrongData.reasons.join(), /data commitment/);

  // `zkml verify` as a third party runs it: 0 PASS, 1 FAIL, 2 a usage error caught before verifying.
  const cli = (...args: string[]) =>
    execa(
      "node",
      [join(PROJECT_ROOT, "bin", "zkml.js"), "verify", "--zkvm", "risc0", "--model", claim.model, "--data-commitment", claim.dataCommitment, ...args],
      { reject: false },
    );
  const [passes, fails, banana, directory, coarse, loose] = await Promise.all([
    cli("--proof", proofFile, "--r2", r2),
    cli("--proof", proofFile, "--r2", (Number(r2) + 0.01).toFixed(3)),
    cli("--proof", proofFile, "--r2", "banana"),
    cli("--proof", dir, "--r2", r2),
    cli("--proof", proofFile, "--r2", Number(r2).toFixed(1)),
    cli("--proof", proofFile, "--r2", "1", "--tolerance", "0.5"),
  ]);
  assert.equal(passes.exitCode, 0, passes.stderr);
  assert.match(passes.stdout, /^PASS: /m);
  assert.match(passes.stdout, new RegExp(`^claim: R² ${r2} accepts \\[[-\\d.]+, [-\\d.]+\\] \\(its 3 decimals\\); proven ${proof.r2}: holds$`, "m"));
  assert.equal(fails.exitCode, 1);
  assert.match(fails.stdout, /^FAIL: claimed R²/m);
  // A claim too coarse to mean anything is refused before verifying, not passed.
  assert.equal(coarse.exitCode, 2, coarse.stdout);
  assert.match(coarse.stderr, /states 1 decimal: a claim is checked at its own decimals, which must be at least 3/);
  assert.equal(loose.exitCode, 2);
  assert.match(loose.stderr, /--tolerance 0\.5 is wider than 0\.0005/);
  assert.equal(banana.exitCode, 2);
  assert.match(banana.stderr, /--r2 'banana' is not a decimal number/);
  assert.equal(directory.exitCode, 2);
  assert.match(directory.stderr, /is a directory, not a file/);
});

test("paper: export, sweep, the claim proven on the whole test set, results, summary and figures; a second run reuses every run", { skip }, async () => {
  const outDir = join(dir, "paper");
  const spec: SweepSpec = { ...executeSpec, claim: { models: ["ridge"] } };
  const options = { name: "p", spec, build: false, merge: [], outDir, data: { input: csv }, log: () => {} };
  const first = await runPaper(options);
  const n = trained.test.y.length;
  assert.equal(first.sweep.ran, planSweep(spec, { claimSamples: n }).runs.length);
  assert.equal(first.sweep.failed, 0);
  for (const family of ["linear", "ridge", "poly-ridge"]) assert.ok(existsSync(join(outDir, "export", family, "model.bin")));
  assert.deepEqual(
    first.files.figures.map((f) => f.replace(/^.*\//, "")),
    ["cycles.svg", "cycles.png", "precompiles.svg", "precompiles.png"],
    "no timed proofs in this sweep: only the cycle figures (the claim proof has its own table)",
  );
  const summary = readFileSync(first.files.summaryMarkdown, "utf8");
  assert.match(summary, /\| risc0 \| poly2 \| software \| 2 \|/);
  assert.match(
    summary,
    new RegExp(`- accuracy of ridge on ${n} private customers \\(R² -?\\d\\.\\d{4}\\): proven in [\\d.]+ (s|min) on risc0 \\(composite\\)`),
  );
  assert.match(summary, /\| proven \|[^\n]*\| yes \|/, "the claim proof carries the published export's commitments");
  assert.equal(readFileSync(first.files.summaryCsv, "utf8").split("\n")[1], "", "no timed proofs: a header-only summary.csv");
  assert.equal(readFileSync(first.files.claimsCsv!, "utf8").trim().split("\n").length, 2, "claims.csv: a header and the claim");
  // A third party checks the claim proof against the published export's commitments alone.
  const manifest = JSON.parse(readFileSync(join(outDir, "export", "ridge", "export.json"), "utf8"));
  const claimRow = first.rows.find((r) => r.claim)!;
  const verdict = await verifyClaim({
    zkvm: "risc0",
    proof: join(outDir, "sweeps", "p-work", `risc0-composite-ridge-n${n}-precompile-claim.proof`),
    model: manifest.model.commitment,
    dataCommitment: manifest.test_set.commitment,
    claim: { r2: claimRow.r2!.toFixed(3) },
  });
  assert.ok(verdict.ok, verdict.reasons.join("; "));
  const second = await runPaper(options);
  assert.equal(second.sweep.ran, 0);
  assert.equal(second.sweep.skipped, first.sweep.planned);
});

test("compare-hosts: interleaved proofs of host builds, medians and ratios to the first", { skip }, async () => {
  const spec = { zkvm: "risc0", binaries: [risc0.binary], model: "ridge" as const, n: 10, repetitions: 1, fracBits: 16, timeoutMs: 300_000 };
  await assert.rejects(compareHosts({ ...spec, binaries: [join(dir, "missing-host")] }, trained), /host binary not found/);
  await assert.rejects(compareHosts({ ...spec, repetitions: 0 }, trained), /at least 1/);
  const [row] = await compareHosts(spec, trained);
  assert.equal(row.binary, risc0.binary);
  assert.equal(row["target cpu"], defaultHostCpu("risc0") ?? "baseline", "the build's CPU, as guests/risc0/build.env names it");
  assert.equal(row["vs first"], 1);
  assert.ok(row["prove s median"] > 0 && row["prove s min"] <= row["prove s max"] && row.cycles > 0);
});
