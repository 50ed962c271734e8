// Sweep planning, result files, aggregation, summary and figures: the parts
// of the benchmark that need no zkVM host (see sweep.test.ts for real runs).
import assert from "node:assert/strict";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { test } from "node:test";
import pl from "nodejs-polars";
import { cpuFlags, machineInfo } from "../../src/bench/machine.js";
import { EtaModel, createProgress, describeRun, formatDuration } from "../../src/bench/progress.js";
import { SWEEP_PRESETS, sweepPreset } from "../../src/bench/presets.js";
import { isCircuit } from "../../src/zkvm/registry.js";
import { groupProofs, spread, writeTableCsv, writeTableParquet } from "../../src/bench/results.js";
import { loadResults, tidy } from "../../src/bench/tidy.js";
import { MEASURES, axisTitleOf, headerOf, shown, unitOf } from "../../src/bench/columns.js";
import { checkRecord, specSchema } from "../../src/spec/records.js";
import { writeSummary } from "../../src/bench/summary.js";
import { claimRows, claimSentence, publishedClaims } from "../../src/bench/claim.js";
import { compareCircuits } from "../../src/bench/circuit-vs-zkvm.js";
import { type PlanHosts, planSweep } from "../../src/bench/plan.js";
import { SweepFileError, readSweepRows } from "../../src/bench/sweep-file.js";
import { sweepSpecOf } from "../../src/bench/presets.js";
import { benchFigures, coreScalingFigure, proveTimeFigure } from "../../src/plots/bench.js";
import { modelCommitmentOf } from "../../src/zkvm/verify.js";
import { tempDir } from "../helpers.js";
import { ZKVM_IDS } from "../../src/zkvm/registry.js";
import { WORKLOADS } from "../../src/bench/workload.js";
import { row } from "./rows.js";

const dir = tempDir();
/** Proof kinds as the hosts' `info` gives them (hosts.test.ts checks the real
 *  hosts), each with whether a claim uses it; any other zkVM gets one kind. */
const KINDS: Record<string, { kind: string; claim: boolean }[]> = {
  risc0: [{ kind: "composite", claim: true }],
  sp1: [
    { kind: "core", claim: true },
    { kind: "compressed", claim: false },
  ],
  openvm: [
    { kind: "app", claim: true },
    { kind: "stark", claim: false },
  ],
};
/** The default data's test set size, for the claim proofs. */
const TEST_SET = 5813;
/** Hosts as planning sees them: the kinds above, and a circuit compiler whose
 *  claim does not fit in memory (as EZKL's `prove_memory` says on 24 GiB). */
const HOSTS: PlanHosts = {
  kindsOf: (z, choice) => {
    const kinds = KINDS[z] ?? [{ kind: "proof", claim: true }];
    return (choice === "default" ? kinds.slice(0, 1) : choice === "claim" ? kinds.filter((k) => k.claim) : kinds).map((k) => k.kind);
  },
  refusedModelKinds: () => [],
  memoryLimit: (z, _kind, n) => (isCircuit(z) && n > 1598 ? `its proof of ${n} samples needs about 40.9 GiB, this machine has 23.4 GiB` : null),
  smoke: (z) => z === "risc0",
  hashesWithSha: (z) => !isCircuit(z),
};
const planOf = (spec: Parameters<typeof planSweep>[0]) => planSweep(spec, { claimSamples: TEST_SET, hosts: HOSTS }).runs;

test("the paper sweep plans executes first, then timed proofs, with unique keys", () => {
  const plan = planOf(sweepPreset("paper"));
  const keys = new Set(plan.map((r) => r.key));
  assert.equal(keys.size, plan.length);
  const executes = plan.filter((r) => r.command === "execute");
  const zkvms = ZKVM_IDS.filter((z) => !isCircuit(z)).length;
  const circuits = ZKVM_IDS.length - zkvms;
  // Every workload at every size, SHA on and off for the zkVMs; a circuit (Poseidon) executes each once,
  // up to the sizes it could prove in memory (HOSTS: n = 1,598).
  assert.equal(executes.length, (zkvms * 2 * 4 + circuits * 3) * WORKLOADS.length);
  // Ridge at n = 1,000 once, then the ladder at n = 100: ridge, degree 2 and 3 with the precompile (a
  // circuit: its only mode), ridge again without it on the zkVMs; linear (ridge's trace) is only counted.
  const timed = plan.filter((r) => r.command === "prove" && !r.claim);
  assert.equal(timed.length, ZKVM_IDS.length + ZKVM_IDS.length * 3 + zkvms);
  for (const z of ZKVM_IDS) {
    assert.equal(timed.filter((r) => r.zkvm === z && r.model === "ridge" && r.n === 1000 && r.sha === "precompile").length, 1);
    for (const model of WORKLOADS)
      for (const sha of ["precompile", "software"])
        assert.equal(
          timed.filter((r) => r.zkvm === z && r.model === model && r.n === 100 && r.sha === sha).length,
          model === "linear" ? 0 : sha === "precompile" || (model === "ridge" && !isCircuit(z)) ? 1 : 0,
          `${z} ${model} n = 100 ${sha}`,
        );
  }
  assert.ok(plan.findIndex((r) => r.command === "prove") > plan.map((r) => r.command).lastIndexOf("execute"));
  assert.ok(plan.every((r) => !r.warmup));
});

test("the paper's claim: each zkVM proves the whole test set once, after its timed proofs; the left-out ones are named", () => {
  const spec = sweepPreset("paper");
  const plan = planOf(spec);
  const claims = plan.filter((r) => r.claim);
  assert.deepEqual(
    claims.map((r) => [r.zkvm, r.proof_kind, r.model, r.n, r.rep]),
    ZKVM_IDS.filter((z) => !isCircuit(z)).flatMap((z) =>
      // The kinds each host marks for a claim: its default (SP1's compressed claim is `full`'s).
      (KINDS[z] ?? [{ kind: "proof", claim: true }]).filter((k) => k.claim).map((k) => [z, k.kind, "ridge", TEST_SET, 1]),
    ),
  );
  const claimsLeftOut = planSweep(spec, { claimSamples: TEST_SET, hosts: HOSTS }).leftOut.filter((l) => l.claim);
  assert.deepEqual(
    claimsLeftOut.map((l) => [l.zkvm, l.model]),
    ZKVM_IDS.filter(isCircuit).map((z) => [z, "ridge"]),
  );
  assert.match(claimsLeftOut[0].why, /23\.4 GiB/);
  // Each zkVM's claims come right after its own timed proofs (one long-lived host serves both).
  for (const c of claims) {
    const at = plan.indexOf(c);
    const lastTimed = plan.map((r) => r.zkvm === c.zkvm && r.command === "prove" && !r.claim).lastIndexOf(true);
    assert.ok(lastTimed < at && plan.slice(lastTimed, at).every((r) => r.zkvm === c.zkvm), `${c.key} follows ${c.zkvm}'s timed proofs`);
  }
  assert.ok(claims.every((r) => r.key.endsWith("|claim")) && new Set(plan.map((r) => r.key)).size === plan.length);
  assert.throws(() => planSweep(spec, { hosts: HOSTS }), /planned with the test set's size/);
  // --claim-models "" drops them; --ignore-memory-limits asks the left-out zkVMs too.
  assert.equal(planOf(sweepSpecOf({ preset: "paper", claimModels: [] })).filter((r) => r.claim).length, 0);
  assert.ok(planOf(sweepSpecOf({ preset: "paper", ignoreMemoryLimits: true })).some((r) => r.claim && isCircuit(r.zkvm)));
  assert.throws(() => planOf({ ...spec, claim: { models: ["ridge"], kinds: { risc0: ["groth16"] } } }), /risc0 makes no 'groth16' proofs/);
});

test("the full preset: one proof per size to n = 100,000 in every kind, and the claim in every kind on every prover", () => {
  const plan = planOf(sweepPreset("full"));
  const proofs = plan.filter((r) => r.command === "prove" && !r.claim);
  const kinds = (z: string) => (z === "sp1" || z === "openvm" ? 2 : 1);
  const kindCount = ZKVM_IDS.map(kinds).reduce((a, b) => a + b, 0);
  // Ridge at five sizes, and the ladder (every workload × SHA mode) at n = 100 and 1,000, less ridge's two shared runs.
  const ladder = ZKVM_IDS.map((z) => kinds(z) * (WORKLOADS.length * (isCircuit(z) ? 1 : 2) * 2 - 2)).reduce((a, b) => a + b, 0);
  assert.equal(proofs.length, kindCount * 5 + ladder);
  assert.equal(Math.max(...proofs.map((r) => r.n)), 100_000);
  assert.equal(plan.filter((r) => r.claim).length, kindCount);
  assert.ok(sweepPreset("full").ignoreMemoryLimits, "every prover is asked: one that does not fit records why");
});

test("a core-scaling sweep proves each zkVM's block once per core count (one pinned host each), executes once; the figure draws prove time by cores", () => {
  const spec = { ...sweepPreset("tiny"), zkvms: ["risc0" as const], cores: [1, 2] };
  const plan = planOf(spec);
  const proofs = plan.filter((r) => r.command === "prove");
  assert.deepEqual(
    proofs.map((r) => [r.model, r.rep, r.cores]),
    [
      ["ridge", 1, 1],
      ["ridge", 2, 1],
      ["poly3", 1, 1],
      ["ridge", 1, 2],
      ["ridge", 2, 2],
      ["poly3", 1, 2],
    ],
  );
  assert.ok(plan.filter((r) => r.command === "execute").every((r) => r.cores === undefined));
  assert.ok(proofs.every((r) => r.key.endsWith(`|cores${r.cores}`)) && new Set(plan.map((r) => r.key)).size === plan.length);
  assert.match(describeRun(proofs[0]), / on 1 core rep 1$/);
  assert.match(describeRun(proofs[3]), / on 2 cores rep 1$/);
  const rows = [
    row({ n: 100, cores: 1 }, { prove_ms: 2000 }, "lab/x86_64", 1),
    row({ n: 100, cores: 2 }, { prove_ms: 1100 }, "lab/x86_64", 2),
    row({ n: 10 }, { prove_ms: 500 }),
  ].map(tidy);
  assert.deepEqual(
    rows.map((r) => r.cores_used),
    [1, 2, machineInfo().cores],
  );
  const figure = coreScalingFigure(rows);
  assert.equal(figure.data.length, 1, "only n = 100 was proven on two core counts");
  assert.deepEqual(
    [figure.data[0].x, figure.data[0].y],
    [
      [1, 2],
      [2, 1.1],
    ],
  );
  assert.ok(benchFigures(rows).some((f) => f.name === "core-scaling"));
  assert.ok(!benchFigures([rows[2]]).some((f) => f.name === "core-scaling"), "no pinned runs: no core figure");
});

test("claim rows: the latest proof per configuration (a success over a failure), bound to the published export by commitment", () => {
  const claim = { claim: true, n: 40 };
  const rows = [
    row({ ...claim, zkvm: "risc0" }, { prove_ms: 90_000 }, "lab/x86_64", 1),
    row({ ...claim, zkvm: "risc0" }, { ok: false }, "lab/x86_64", 2),
    row({ ...claim, zkvm: "sp1", proof_kind: "core" }, { ok: false }, "lab/x86_64", 3),
    row({ n: 10 }, { prove_ms: 1000 }),
  ].map(tidy);
  const published = { ridge: { model_commitment: "aa", data_commitment: "bb", n: 40 } };
  const claims = claimRows(rows, published);
  assert.deepEqual(
    claims.map((c) => [c.zkvm, c.ok, c.failure, c.prove_ms, c.matches_export]),
    [
      ["risc0", true, null, 90_000, true],
      ["sp1", false, "exit 1: boom", null, null],
    ],
  );
  assert.equal(claimRows(rows, { ridge: { ...published.ridge, data_commitment: "cc" } })[0].matches_export, false);
  assert.equal(claimRows(rows, { ridge: { ...published.ridge, n: 41 } })[0].matches_export, false);
  assert.equal(claimRows(rows)[0].matches_export, null, "no export to compare with");
  assert.equal(
    claimSentence(claims[0]),
    "accuracy of ridge on 40 private customers (R² 0.3900): proven in 1.5 min on risc0 (composite), verified in 12.0 ms, proof 195 KiB",
  );
  assert.equal(claimSentence(claims[1]), "ridge on 40 customers, sp1 core: not proven (exit 1: boom)");
  // The timed sizes' medians leave the claim proofs out.
  assert.deepEqual(
    groupProofs(rows).map((g) => g.n),
    [10],
  );
  // summary.md opens with the claim, its left-out zkVMs named.
  const out = tempDir();
  const markdown = writeSummary(rows, { markdown: join(out, "summary.md"), csv: join(out, "summary.csv"), claimsCsv: join(out, "claims.csv") }, "ctx", {
    published,
    leftOut: [
      { zkvm: "ezkl", model: "ridge", n: 40, claim: true, executeOnly: false, why: "too big" },
      { zkvm: "ezkl", model: "poly3", n: 1000, claim: false, executeOnly: false, why: "timed, too big" },
    ],
  });
  assert.ok(markdown.indexOf("## The claim, proven") < markdown.indexOf("## Proofs"));
  assert.match(markdown, /- accuracy of ridge on 40 private customers/);
  assert.match(markdown, /- EZKL, ridge: left out of this sweep's claim: too big/);
  assert.match(markdown, /\| lab\/x86_64 \| ridge \| 40 \| 0\.3900 \| risc0 \| composite \| proven \| 90\.0 \|/);
  assert.equal(readFileSync(join(out, "claims.csv"), "utf8").split("\n").length, 4, "a header and two claim rows");
  writeSummary([rows[3]], { markdown: join(out, "summary.md"), csv: join(out, "summary.csv"), claimsCsv: join(out, "claims.csv") }, "ctx");
  assert.ok(!existsSync(join(out, "claims.csv")), "a report without claims leaves no claims.csv of an earlier one");
  // The published side is read from the export manifests; a broken one is named.
  mkdirSync(join(out, "export", "ridge"), { recursive: true });
  writeFileSync(join(out, "export", "ridge", "export.json"), JSON.stringify({ model: { commitment: "aa" }, test_set: { commitment: "bb", n_samples: 40 } }));
  assert.deepEqual(publishedClaims(out), published);
  assert.deepEqual(publishedClaims(join(out, "nowhere")), {});
  writeFileSync(join(out, "export", "ridge", "export.json"), JSON.stringify({ model: {} }));
  assert.throws(() => publishedClaims(out), /ridge\/export\.json: not an export manifest/);
  writeFileSync(join(out, "export", "ridge", "export.json"), "{ torn");
  assert.throws(() => publishedClaims(out), /ridge\/export\.json: not JSON/);
});

test("a host that refuses a model kind gets no runs of it; the other hosts keep theirs", () => {
  const { runs: plan } = planSweep(sweepPreset("paper"), {
    claimSamples: TEST_SET,
    hosts: { ...HOSTS, refusedModelKinds: (z) => (z === "ezkl" ? ["polynomial"] : []) },
  });
  assert.ok(plan.some((r) => r.zkvm === "ezkl" && r.model === "ridge") && !plan.some((r) => r.zkvm === "ezkl" && r.model === "poly2"));
  assert.ok(plan.some((r) => r.zkvm === "risc0" && r.model === "poly2"));
});

test("flags override the preset; a kind for a zkVM not swept, or one its host does not make, names the problem", () => {
  const spec = sweepSpecOf({ preset: "tiny", zkvm: ["sp1"], proveSizes: [10, 100], kind: [{ zkvm: "sp1", kind: "compressed" }], reps: 1, warmup: true });
  const plan = planOf(spec);
  assert.deepEqual([...new Set(plan.map((r) => r.zkvm))], ["sp1"]);
  const proofs = plan.filter((r) => r.command === "prove");
  assert.deepEqual(
    proofs.map((r) => [r.proof_kind, r.model, r.n, r.warmup]),
    [
      ["compressed", "ridge", 10, true],
      ["compressed", "ridge", 10, false],
      ["compressed", "ridge", 100, false],
      ["compressed", "poly3", 10, false], // tiny's ladder, ridge's run shared
    ],
  );
  // The ladder's flags make it one block: what they name replaces the preset's, and "" models drop it.
  const ladder = sweepSpecOf({ preset: "paper", zkvm: ["risc0"], workloadModels: ["poly2", "poly3"], workloadSizes: [1000], workloadSha: ["software"] });
  assert.deepEqual(ladder.workloads, [{ models: ["poly2", "poly3"], sizes: [1000], sha: ["software"], repetitions: 1 }]);
  assert.deepEqual(
    planOf({ ...ladder, claim: undefined })
      .filter((r) => r.command === "prove")
      .map((r) => [r.model, r.n, r.sha]),
    [
      ["ridge", 1000, "precompile"],
      ["poly2", 1000, "software"],
      ["poly3", 1000, "software"],
    ],
  );
  assert.equal(planOf(sweepSpecOf({ preset: "paper", workloadModels: [] })).filter((r) => r.command === "prove" && r.model === "poly3").length, 0);
  // What the flags leave out comes from all the preset's blocks: paper's ladder at n = 1,000 is its models, both modes.
  assert.deepEqual(sweepSpecOf({ preset: "paper", workloadSizes: [1000] }).workloads, [
    { models: ["ridge", "poly2", "poly3"], sizes: [1000], sha: ["precompile", "software"], repetitions: 1 },
  ]);
  // A timed proof its host predicts will not fit is left out, named, like a claim.
  const { runs, leftOut } = planSweep(sweepSpecOf({ preset: "paper", zkvm: ["ezkl"], workloadSizes: [2000] }), { claimSamples: TEST_SET, hosts: HOSTS });
  assert.ok(!runs.some((r) => r.n >= 2000), "executes of a circuit it could not prove are left out too");
  assert.deepEqual(
    leftOut.map((l) => [l.model, l.n, l.claim, l.executeOnly]),
    [...WORKLOADS.map((m) => [m, 10_000, false, true]), ...["ridge", "poly2", "poly3"].map((m) => [m, 2000, false, false]), ["ridge", TEST_SET, true, false]],
  );
  assert.throws(
    () => sweepSpecOf({ preset: "tiny", zkvm: ["risc0"], kind: [{ zkvm: "sp1", kind: "core" }] }),
    /--kind sp1:core: sp1 is not among the sweep's zkVMs \(risc0\)/,
  );
  assert.throws(() => planOf(sweepSpecOf({ preset: "tiny", kind: [{ zkvm: "risc0", kind: "groth16" }] })), /risc0 makes no 'groth16' proofs/);
  assert.throws(() => sweepSpecOf({ preset: "huge" }), /unknown sweep preset 'huge' \(known: paper, full, tiny\)/);
  assert.equal(SWEEP_PRESETS.tiny.prove.repetitions, 2, "presets are not modified by overrides");
});

test("EZKL against the best zkVM per metric: ratios in the summary and a four-panel figure; no cycles counted for a circuit", () => {
  const rows = [10, 100]
    .flatMap((n) =>
      [1, 2, 3].flatMap((rep) => [
        row({ n, zkvm: "risc0" }, { prove_ms: 10_000 * n, verify_ms: 20, rss: 2 ** 30 }, "lab/x86_64", rep),
        row({ n, zkvm: "sp1", proof_kind: "core" }, { prove_ms: 5_000 * n, verify_ms: 40, rss: 2 ** 32 }, "lab/x86_64", rep),
        row({ n, zkvm: "ezkl", proof_kind: "single" }, { prove_ms: 500 * n, verify_ms: 10, rss: 2 ** 28 }, "lab/x86_64", rep),
      ]),
    )
    .map((r) => ({ ...r, key: `${r.zkvm}|${r.n}|${r.rep}` }));
  const tidied = rows.map(tidy);
  const cmp = compareCircuits(groupProofs(tidied));
  assert.deepEqual(
    cmp.map((c) => [c.n, c.circuit]),
    [
      [10, "ezkl"],
      [100, "ezkl"],
    ],
  );
  assert.equal(cmp[0].metrics.prove_ms.zkvm, "sp1");
  assert.equal(cmp[0].metrics.prove_ms.ratio, 0.1);
  assert.equal(cmp[1].metrics.verify_ms.zkvm, "risc0");
  assert.equal(cmp[1].metrics.verify_ms.ratio, 0.5);
  assert.equal(cmp[0].metrics.peak_rss_bytes.zkvm, "risc0", "the best zkVM is chosen per metric");
  const fig = benchFigures(tidied).find((f) => f.name === "circuit-vs-zkvm")!;
  assert.equal(fig.figure.data.length, 3 * 4, "three provers, four panels");
  assert.equal(
    benchFigures(tidied.filter((r) => r.zkvm !== "ezkl")).find((f) => f.name === "circuit-vs-zkvm"),
    undefined,
    "no circuit, no figure",
  );
  assert.ok(tidied.filter((r) => r.zkvm === "ezkl").every((r) => r.cycles_per_second === null));
  const md = writeSummary(tidied, { markdown: join(dir, "cmp.md"), csv: join(dir, "cmp.csv") }, "");
  assert.match(md, /## Circuit compiler vs zkVMs[\s\S]*0\.100 \(sp1\)/);
});

test("a torn last line is dropped and reported; a bad line elsewhere names file and line", () => {
  const file = join(dir, "torn.jsonl");
  const rows = [row({ n: 10 }, {}), row({ n: 100 }, {})];
  writeFileSync(file, rows.map((r) => JSON.stringify(r) + "\n").join("") + JSON.stringify(row({ n: 1000 }, {})).slice(0, 50));
  const torn: string[] = [];
  assert.equal(readSweepRows(file, (m) => torn.push(m)).length, 2);
  assert.match(torn[0], /torn\.jsonl:3: dropped a torn last line/);
  const bad = join(dir, "bad.jsonl");
  writeFileSync(bad, `${JSON.stringify(rows[0])}\nnot json\n${JSON.stringify(rows[0])}\n`);
  assert.throws(
    () => readSweepRows(bad),
    (e: Error) => e instanceof SweepFileError && /bad\.jsonl:2: not a JSON object/.test(e.message),
  );
  const old = join(dir, "old.jsonl");
  writeFileSync(old, `{"schema":0}\n`);
  assert.throws(() => readSweepRows(old), /old\.jsonl:1: schema version 0; this zkml-bench reads SweepRow version 3/);
  // Every line is checked against spec/sweep-row.schema.json, naming the field.
  writeFileSync(old, `${JSON.stringify({ ...rows[0], n: "ten" })}\n`);
  assert.throws(() => readSweepRows(old), /old\.jsonl:1: field n is invalid \("ten": must be integer\)/);
  writeFileSync(old, `${JSON.stringify({ ...rows[0], record: { ...rows[0].record, cycles: 1 } })}\n`);
  assert.throws(() => readSweepRows(old), /old\.jsonl:1: unknown field record\.cycles/);
});

test("version 1 and 2 sweep rows are read with the values their absent fields meant", () => {
  const { claim: _c, host_mode: _h, server_setup_ms: _s, host_build: _b, family: _f, degree: _d, terms: _t, ...v1 } = row({ n: 10 }, {});
  const { schema: _r, keys: _k, setup_trust: _u, ...record } = v1.record!;
  const file = join(dir, "v1.jsonl");
  writeFileSync(file, `${JSON.stringify({ ...v1, schema: 1, record })}\n`);
  const [read] = readSweepRows(file);
  assert.deepEqual(read, { ...row({ n: 10 }, {}), terms: null, record: { ...row({ n: 10 }, {}).record!, keys: null } });
  // Version 2 named a model by its family; its poly-ridge was the trainer's default degree 2, and its key is renamed with it.
  const poly = row({ n: 10, model: "poly2" }, {});
  const { family: _g, degree: _e, terms: _v, ...v2 } = { ...poly, key: "risc0|execute|-|poly-ridge|n10|software|rep0", model: "poly-ridge" };
  writeFileSync(file, `${JSON.stringify({ ...v2, schema: 2 })}\n`);
  assert.deepEqual(readSweepRows(file), [{ ...poly, key: "risc0|execute|-|poly2|n10|software|rep0", terms: null }]);
});

test("results merge machines, keep one copy of each run, and take medians with min–max", () => {
  const a = join(dir, "a.jsonl");
  const b = join(dir, "b.jsonl");
  const mine = [1, 2, 3].flatMap((rep) => [
    row({ n: 10 }, { prove_ms: [9000, 10000, 14000][rep - 1] }, "lab/x86_64", rep),
    row({ n: 1000 }, { prove_ms: 40000 * rep, cycles: 2 ** 20 }, "lab/x86_64", rep),
  ]);
  const failed = row({ n: 10 }, { ok: false }, "lab/x86_64", 4);
  const warm = { ...row({ n: 10 }, { prove_ms: 99000 }, "lab/x86_64", 0), warmup: true, key: "warm" };
  const dev = row({ n: 10 }, { prove_ms: 1 }, "lab/x86_64", 5);
  dev.record!.dev_mode = true; // a fake "proof" from a zkVM's dev mode
  writeFileSync(a, [...mine, failed, warm, dev].map((r) => JSON.stringify(r) + "\n").join(""));
  const arm = [1, 2].map((rep) => row({ n: 10 }, { prove_ms: 5000 * rep }, "laptop/aarch64", rep));
  writeFileSync(b, arm.map((r) => JSON.stringify(r) + "\n").join(""));
  appendFileSync(b, JSON.stringify(mine[0]) + "\n"); // the same run copied into both files
  const rows = loadResults([a, b]);
  assert.equal(rows.length, mine.length + 3 + arm.length, "the duplicate run is read once");
  assert.ok(
    rows.some((r) => r.dev_mode),
    "dev-mode runs are kept in the table, marked",
  );
  const groups = groupProofs(rows);
  assert.deepEqual(
    groups.map((g) => [g.machine, g.n, g.runs]),
    [
      ["lab/x86_64", 10, 3],
      ["lab/x86_64", 1000, 3],
      ["laptop/aarch64", 10, 2],
    ],
  );
  assert.deepEqual(groups[0].prove_ms, { median: 10000, min: 9000, max: 14000 }, "the failed run, the warm-up and the dev-mode run are left out");
  assert.equal(groups[1].cycles_per_second?.median, Math.round(2 ** 20 / 80));
  assert.equal(groups[0].peak_rss_bytes.median, 2 ** 30 + 4096, "the larger of host and external memory");
  assert.equal(spread([]), null);

  // Tidy CSV and Parquet round-trip through polars.
  writeTableCsv(rows, join(dir, "r.csv"));
  writeTableParquet(rows, join(dir, "r.parquet"));
  const parquet = pl.readParquet(join(dir, "r.parquet"));
  assert.equal(parquet.height, rows.length);
  assert.deepEqual(
    parquet.getColumn("prove_ms").toArray(),
    rows.map((r) => r.prove_ms),
  );
  assert.equal(pl.readCSV(join(dir, "r.csv")).height, rows.length);

  // Summary: one line per group in both files.
  const md = writeSummary(rows, { markdown: join(dir, "s.md"), csv: join(dir, "s.csv") }, "test");
  assert.match(md, /\| lab\/x86_64 \| x86_64 \| risc0 3\.0\.6 \| – \| \d+ \| composite \| ridge \| precompile \| 10 \| 3 \|/);
  assert.match(md, /\| 10\.0 \(9\.0–14\.0\) \|/);
  assert.equal(pl.readCSV(join(dir, "s.csv")).height, 3);

  // Figures: one prove-time trace per machine, medians with asymmetric min–max bars.
  const fig = proveTimeFigure(rows);
  assert.equal(fig.data.length, 2);
  const lab = fig.data.find((t) => String(t.name).includes("lab/x86_64"))!;
  assert.deepEqual(lab.x, [10, 1000]);
  assert.deepEqual(lab.y, [10, 80]);
  assert.deepEqual((lab.error_y as { array: number[]; arrayminus: number[] }).array, [4, 40]);
  assert.deepEqual((lab.error_y as { array: number[]; arrayminus: number[] }).arrayminus, [1, 40]);
  assert.notEqual((lab.line as { dash: string }).dash, (fig.data.find((t) => t !== lab)!.line as { dash: string }).dash, "machines differ by dash");
  assert.deepEqual(
    benchFigures(rows).map((f) => f.name),
    ["prove-time", "verify-time", "proof-size", "peak-memory", "throughput"],
    "figures without data (no executes here) are left out",
  );
  assert.equal(tidy(mine[0]).driver_overhead, +(mine[0].wall_ms / 9400 - 1).toFixed(4));
});

test("the ETA uses the most similar finished runs, and reads sizes not run yet off the line through the finished ones", () => {
  const eta = new EtaModel();
  const plan = planOf(sweepSpecOf({ preset: "paper", proveSizes: [10, 100, 1000] }));
  const risc0At = (n: number) => plan.find((r) => r.zkvm === "risc0" && r.command === "prove" && r.n === n && !r.claim)!;
  const risc0Claim = plan.find((r) => r.zkvm === "risc0" && r.claim)!;
  eta.observe(row({ n: 10 }, { prove_ms: 35_000 }));
  assert.equal(eta.estimate(risc0At(10)), 35_500);
  assert.equal(eta.estimate(risc0At(1000)), 35_500 * 100, "one size finished: in proportion to n, an upper bound");
  eta.observe(row({ n: 1000 }, { prove_ms: 134_000 }));
  assert.equal(eta.estimate(risc0At(1000)), 134_500);
  assert.equal(eta.estimate(risc0At(100)), 35_500 + 90 * (99_000 / 990), "between two finished sizes: on the line through them");
  assert.equal(eta.estimate(risc0Claim), 134_500 + (TEST_SET - 1000) * (99_000 / 990), "beyond the largest: along the line through the two largest");
  assert.equal(eta.estimate(plan.find((r) => r.command === "execute")!), null);
  assert.equal(eta.estimate(plan.find((r) => r.zkvm === "sp1" && r.command === "prove")!), null, "another zkVM's proofs say nothing about SP1's");
  // Another core count (or model, or SHA mode) has its own curve once it has
  // finished runs; until then it borrows the kind's curve rather than none.
  const oneCore = (n: number) => ({ ...risc0At(n), cores: 1, key: `one-core-${n}` });
  assert.equal(eta.estimate(oneCore(100)), 35_500 + 90 * (99_000 / 990), "no 1-core run yet: the kind's curve");
  eta.observe(row({ n: 100, cores: 1 }, { prove_ms: 65_000 }));
  assert.equal(eta.estimate(oneCore(1000)), 65_500 * 10, "1 core: its own curve, not the 2-core runs'");
  const poly = { ...risc0At(1000), model: "poly2" as const, key: "poly" };
  eta.observe(row({ n: 100, model: "poly2" }, { prove_ms: 60_000 }));
  assert.equal(eta.estimate(poly), 60_500 * 10, "poly2: its own curve, not the ridge runs'");
  assert.equal(eta.estimate(risc0At(1000)), 134_500, "ridge's own runs are unchanged by the others");
  assert.equal(formatDuration(3_725_000), "1h02m");
  assert.equal(formatDuration(95_000), "1m35s");
});

test("the model commitment: given as hex, or the SHA-256 of model.bin", () => {
  const model = join(dir, "model.bin");
  writeFileSync(model, "abc");
  assert.equal(modelCommitmentOf(model), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.equal(modelCommitmentOf("AB".repeat(32)), "ab".repeat(32));
  assert.throws(() => modelCommitmentOf("nope"), /'nope' is neither 64 hex digits nor a model\.bin file/);
  assert.ok(readFileSync(model));
});

test("progress in CI: one plain line per run start and end, with an ETA once runs are timed", () => {
  let text = "";
  const out = new Writable({
    write: (chunk, _encoding, done) => {
      text += chunk;
      done();
    },
  });
  const progress = createProgress({ out, interactive: false });
  const plan = planOf(sweepSpecOf({ preset: "tiny", zkvm: ["risc0"], executeSizes: [], reps: 2, workloadModels: [] }));
  const first = { ...row({ n: 10 }, { prove_ms: 20_000 }, machineInfo().id, 1), key: plan[0].key };
  progress.start(plan, [first]);
  progress.runStarted(plan[1]);
  progress.runFinished({ ...row({ n: 10 }, { prove_ms: 40_000 }, machineInfo().id, 2), key: plan[1].key });
  progress.finish();
  assert.equal(
    text,
    [
      "sweep: 2 runs, 1 already done (resuming)",
      "[2/2] risc0 prove composite ridge n=10 precompile rep 2 …",
      "  risc0 prove composite ridge n=10 precompile rep 2: 41s, 65536 cycles, prove 40.0 s · ETA 0s",
      "",
    ].join("\n"),
  );
});

test("CPU flags: the machine's prover extensions are read from cpuinfo; hosts built for other CPUs never share a median", () => {
  assert.deepEqual(cpuFlags("processor : 0\nflags : fpu sse4_2 avx avx2 adx avx512f sha_ni\n"), ["sse4_2", "avx", "avx2", "adx", "avx512f", "sha_ni"]);
  assert.deepEqual(cpuFlags("processor : 0\nFeatures : fp asimd aes sha2 crc32\n"), ["asimd", "aes", "sha2"]);
  assert.equal(cpuFlags(null), null);
  const build = (target_cpu: string | null) => ({ rustflags: target_cpu ? `-C target-cpu=${target_cpu}` : "", target_cpu, target_features: ["avx2"] });
  const rows = [
    { ...row({ n: 10 }, { prove_ms: 1000 }, "lab/x86_64", 1), host_build: build(null) },
    { ...row({ n: 10 }, { prove_ms: 800 }, "lab/x86_64", 2), host_build: build("native") },
    { ...row({ n: 10 }, { prove_ms: 1200 }, "lab/x86_64", 3), host_build: build(null) },
  ].map(tidy);
  assert.deepEqual(
    groupProofs(rows).map((g) => [g.host_target_cpu, g.runs, g.prove_ms.median]),
    [
      ["baseline", 2, 1100],
      ["native", 1, 800],
    ],
  );
  assert.equal(rows[0].host_target_features, "avx2");
  assert.equal(
    tidy({ ...row({ n: 10 }, {}), host_build: { rustflags: null, target_cpu: null, target_features: [] } }).host_target_cpu,
    null,
    "a prover we did not compile",
  );
});

test("wall / (prove + verify) leaves out the setup a request reported (SP1's prover, built on its first proof); setup has its own column", () => {
  const first = row({ n: 10 }, { prove_ms: 1000, verify_ms: 12 });
  first.record!.setup_ms = 96_500;
  first.wall_ms = 96_500 + 1000 + 12 + 20;
  const later = row({ n: 10 }, { prove_ms: 1000, verify_ms: 12 }, "lab/x86_64", 2);
  later.record!.setup_ms = 0;
  later.wall_ms = 1000 + 12 + 20;
  assert.deepEqual(
    [first, later].map((r) => [tidy(r).setup_ms, tidy(r).wall_over_prove_verify]),
    [
      [96_500, +(1032 / 1012).toFixed(4)],
      [0, +(1032 / 1012).toFixed(4)],
    ],
  );
});

test("a tidy row is exactly spec/tidy-row.schema.json's, and its columns' units come from there", () => {
  const tidied = tidy(row({ n: 10 }, {}));
  assert.deepEqual(checkRecord("tidy-row", tidied, "tidy"), tidied);
  assert.deepEqual(Object.keys(tidied), Object.keys(specSchema("tidy-row").properties), "columns in the schema's order");
  assert.equal(unitOf("prove_ms"), "ms");
  assert.equal(headerOf("prove_ms"), "prove s");
  assert.equal(headerOf("proof_bytes"), "proof KiB");
  assert.equal(headerOf("total_cycles"), "cycles");
  assert.equal(shown("peak_rss_host_bytes", 3 * 2 ** 20, 0), "3");
  assert.equal(axisTitleOf("peak_rss_host_bytes", "GiB"), "peak memory (GiB)");
  assert.throws(() => headerOf("prove_ms") && shown("prove_ms", 1, 0, "KiB"), /prove_ms is stored in ms: it cannot be shown in KiB/);
  for (const measure of Object.keys(MEASURES) as (keyof typeof MEASURES)[]) assert.ok(unitOf(measure), `${measure} has a unit in the schema`);
});
