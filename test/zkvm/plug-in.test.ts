// Adding a prover is a folder under guests/ and one row in the zkVM table:
// here a fake one, its host a script answering `info`, is planned, summarized
// and drawn by the same code as the real ones, with no other file touched.
// (Modules read the table when first imported: the environment is set first.)
import assert from "node:assert/strict";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tempDir } from "../helpers.js";

const dir = tempDir();
const table = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "guests", "zkvms.json"), "utf8"));
table.zkvms.push({ id: "fakevm", label: "Fake VM", color: "#123456", kind: "zkvm", smoke: false });
process.env.ZKML_ZKVM_TABLE = join(dir, "zkvms.json");
writeFileSync(process.env.ZKML_ZKVM_TABLE, JSON.stringify(table));
process.env.ZKML_HOSTS_DIR = dir;
const info = {
  schema: 1,
  zkvm: "fakevm",
  label: "Fake VM",
  zkvm_version: "0.1.0",
  isa: "rv32im",
  proof_kinds: [
    { kind: "shards", what: "one proof per shard", claim: true },
    { kind: "folded", what: "one recursive proof", claim: false },
  ],
  refused_kinds: [{ kind: "snark", why: "needs a download" }],
  commitment_scheme: "sha256",
  refused_model_kinds: [{ kind: "polynomial", why: "not yet" }],
  verify_options: [],
  // Stated for affine models of up to 8 terms per sample (7 features and the bias).
  prove_memory: { what: "measured on a lab machine", steps: [{ model_kind: "affine", terms: 8, max_samples: 1000, peak_bytes: 2 ** 30 }] },
  build: { rustflags: "", target_cpu: null, target_features: [] },
};
const host = join(dir, "zkml-fakevm-host");
writeFileSync(host, `#!/bin/sh\n[ "$1" = info ] && echo '${JSON.stringify(info)}' && exit 0\nexit 2\n`);
chmodSync(host, 0o755);

const { planSweep } = await import("../../src/bench/plan.js");
const { sweepPreset } = await import("../../src/bench/presets.js");
const { tidy } = await import("../../src/bench/tidy.js");
const { writeSummary } = await import("../../src/bench/summary.js");
const { benchFigures } = await import("../../src/plots/bench.js");
const { machineInfo } = await import("../../src/bench/machine.js");
const { ZKVM_IDS } = await import("../../src/zkvm/registry.js");

test("a prover added as a table row and a host is planned from its info: its kinds, refusals and memory limit", () => {
  assert.ok(ZKVM_IDS.includes("fakevm") && sweepPreset("paper").zkvms.includes("fakevm"));
  const paper = { ...sweepPreset("paper"), zkvms: ["fakevm"] };
  const small = planSweep(paper, { claimSamples: 500 });
  const proofs = small.runs.filter((r) => r.command === "prove");
  assert.deepEqual([...new Set(proofs.filter((r) => !r.claim).map((r) => r.proof_kind))], ["shards"], "timed proofs: its default kind");
  assert.deepEqual(
    proofs.filter((r) => r.claim).map((r) => r.proof_kind),
    ["shards"],
    "the claim: the kinds its info marks",
  );
  assert.ok(!small.runs.some((r) => r.model === "poly2" || r.model === "poly3"), "no runs of a model kind it refuses");
  const full = planSweep({ ...sweepPreset("full"), zkvms: ["fakevm"] }, { claimSamples: 500 });
  assert.deepEqual([...new Set(full.runs.filter((r) => r.claim).map((r) => r.proof_kind))], ["shards", "folded"]);
  // A claim beyond the sizes its info states is left out, saying why.
  const big = planSweep(paper, { claimSamples: 5000 });
  assert.ok(!big.runs.some((r) => r.claim));
  assert.match(
    big.leftOut.find((l) => l.claim)!.why,
    /its proof of 5000 samples needs more than 1\.0 GiB \(its info states sizes up to 1000\).*measured on a lab machine/,
  );
  // A model with more terms than its steps were stated for gets no prediction: it is asked (and fails if it does not fit).
  assert.ok(planSweep(paper, { claimSamples: 5000, features: 10 }).runs.some((r) => r.claim));
  assert.throws(
    () => planSweep({ ...paper, prove: { ...paper.prove, kinds: { fakevm: ["snark"] } } }, { claimSamples: 500 }),
    /fakevm makes no 'snark' proofs/,
  );
});

test("its rows are summarized and drawn under its table label and colour", () => {
  const machine = machineInfo();
  const rows = [100, 1000].flatMap((n) =>
    [1, 2].map((rep) =>
      tidy({
        schema: 3,
        sweep: "plug-in",
        key: `fakevm|prove|shards|ridge|n${n}|precompile|rep${rep}`,
        zkvm: "fakevm",
        command: "prove",
        proof_kind: "shards",
        model: "ridge",
        family: "ridge",
        degree: 1,
        terms: 8,
        n,
        sha: "precompile",
        rep,
        warmup: false,
        claim: false,
        machine,
        started_at: new Date().toISOString(),
        ok: true,
        failure: null,
        exit_code: 0,
        timed_out: false,
        stderr_tail: null,
        wall_ms: n * 10,
        host_mode: "serve",
        server_setup_ms: null,
        peak_rss_external_bytes: null,
        matches_reference: true,
        input_bytes: 100,
        host_build: info.build,
        record: {
          schema: 1,
          ok: true,
          error: null,
          command: "prove",
          zkvm: "fakevm",
          zkvm_version: "0.1.0",
          proof_kind: "shards",
          sha: "precompile",
          dev_mode: false,
          program_id: "ab",
          input_bytes: 100,
          total_cycles: n * 200,
          user_cycles: n * 180,
          segments: 1,
          execute_ms: 1,
          prove_ms: n * 9 + rep,
          verify_ms: 20,
          proof_path: null,
          proof_bytes: 4096,
          peak_rss_bytes: 2 ** 28,
          peak_rss_scope: "request",
          setup_ms: 0,
          keys: null,
          host_ms: n * 10,
          public_output_hex: null,
          public_output: null,
          score: null,
          exit_code: 0,
          setup_trust: null,
        },
      }),
    ),
  );
  const markdown = writeSummary(rows, { markdown: join(dir, "summary.md"), csv: join(dir, "summary.csv") }, "plug-in");
  assert.match(markdown, /\| fakevm 0\.1\.0 \|.*\| shards \| ridge \| precompile \| 1000 \| 2 \|/);
  const prove = benchFigures(rows).find((f) => f.name === "prove-time");
  assert.ok(prove, "the prove-time figure");
  const traces = prove.figure.data as { name?: string; line?: { color?: string }; marker?: { color?: string } }[];
  const trace = traces.find((t) => t.name?.includes("Fake VM"));
  assert.ok(trace, `a trace labelled from the table (got ${traces.map((t) => t.name).join(", ")})`);
  assert.ok(trace.line?.color === "#123456" || trace.marker?.color === "#123456", "coloured from the table");
});
