// The workload ladder: the models a sweep proves (linear to degree-3 poly-ridge),
// how the provers are ranked per model, where the circuit compiler and the
// best zkVM cross over, what the SHA precompile is worth, and the figures.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { buildExport } from "../../src/export/write.js";
import { runTraining } from "../../src/pipeline.js";
import { groupProofs } from "../../src/bench/results.js";
import { writeSummary } from "../../src/bench/summary.js";
import { tidy } from "../../src/bench/tidy.js";
import { WORKLOAD, exportNameOf, parseWorkload, termsOf, workloadModels } from "../../src/bench/workload.js";
import { circuitCrossovers, crossoverSentence, ladderSizes, precompileGains, rankWorkloads } from "../../src/bench/workload-ranking.js";
import { benchFigures } from "../../src/plots/bench.js";
import { precompileProveTimeFigure, workloadProveTimeFigure } from "../../src/plots/workload.js";
import { tempDir } from "../helpers.js";
import { row } from "./rows.js";

test("workloads: terms per sample with the bias, the names flags accept, where each one's export is published", () => {
  assert.deepEqual(
    (["linear", "ridge", "poly2", "poly3"] as const).map((w) => termsOf(w, 7)),
    [8, 8, 36, 120],
  );
  assert.equal(termsOf("poly3", 1), 4);
  assert.equal(parseWorkload("poly-ridge"), "poly2", "the trainer's family name means its default degree");
  assert.throws(() => parseWorkload("poly4"), /unknown model 'poly4' \(known: linear, ridge, poly2, poly3/);
  assert.deepEqual((["linear", "ridge", "poly2", "poly3"] as const).map(exportNameOf), ["linear", "ridge", "poly-ridge", null]);
});

test("the degree-3 model is fitted like the trainer's: at degree 2 the same fit reproduces the trainer's model exactly", () => {
  const { trained } = runTraining({ training: { evaluationSplits: 0 } });
  const models = workloadModels(trained);
  assert.equal(models.model("ridge"), trained.models.ridge);
  assert.equal(models.model("poly2"), trained.models["poly-ridge"], "the trainer's own degree-2 model");
  const poly3 = models.model("poly3");
  assert.equal(poly3.kind, "polynomial");
  if (poly3.kind !== "polynomial") return;
  assert.equal(poly3.degree, 3);
  assert.equal(poly3.weights.length + 1, termsOf("poly3", trained.featureNames.length));
  assert.equal(models.model("poly3"), poly3, "fitted once");
  // Trained at degree 3, the trainer's poly-ridge is the same model the ladder fits.
  const { trained: trained3 } = runTraining({ training: { evaluationSplits: 0, polyDegree: 3 } });
  assert.deepEqual(trained3.models["poly-ridge"], poly3);
  // It exports within the format's bounds (z_clip³, quantized weights) and the reference scores it.
  const bundle = buildExport(poly3, trained.test, trained.target, 16);
  assert.equal(bundle.output.kind, "polynomial");
  assert.equal(bundle.output.nSamples, trained.test.y.length);
  assert.ok(WORKLOAD.poly3.kind === "polynomial" && WORKLOAD.ridge.kind === "affine");
});

/** A ladder at n = 100: three provers, three models, software SHA on one zkVM, and ridge at n = 1,000 too.
 *  `built`: the zkVM hosts built for this CPU (as a real sweep records them); EZKL's Python host has no build. */
function ladderRows(built = false) {
  const build = (r: ReturnType<typeof row>) =>
    built && r.zkvm !== "ezkl" ? { ...r, host_build: { rustflags: "-C target-cpu=native", target_cpu: "native", target_features: ["avx2"] } } : r;
  const at = (zkvm: string, proof_kind: string, model: "ridge" | "poly2" | "poly3", sha: "precompile" | "software", prove_s: number, work: number, n = 100) =>
    row({ zkvm, proof_kind, model, sha, n }, { prove_ms: prove_s * 1000, user_cycles: work * n, rss: (zkvm === "ezkl" ? 1 : 2) * 2 ** 30 + work * 2 ** 20 });
  return [
    at("risc0", "composite", "ridge", "precompile", 30, 300),
    at("risc0", "composite", "poly2", "precompile", 60, 1100),
    at("risc0", "composite", "poly3", "precompile", 130, 2600),
    at("risc0", "composite", "ridge", "software", 130, 2300),
    at("risc0", "composite", "poly3", "software", 260, 4600),
    at("risc0", "composite", "ridge", "precompile", 120, 250, 1000),
    at("sp1", "core", "ridge", "precompile", 45, 320),
    at("sp1", "core", "poly2", "precompile", 50, 700),
    at("sp1", "core", "poly3", "precompile", 80, 1500),
    at("ezkl", "single", "ridge", "precompile", 25, 330),
    at("ezkl", "single", "poly2", "precompile", 45, 1200),
    at("ezkl", "single", "poly3", "precompile", 200, 4000),
  ]
    .map(build)
    .map(tidy);
}

test("a prover with no host build of its own (EZKL) is ranked with the zkVMs' native builds, and the crossover found", () => {
  const groups = groupProofs(ladderRows(true));
  assert.ok(groups.some((g) => g.host_target_cpu === "native") && groups.some((g) => g.host_target_cpu === null));
  const rankings = rankWorkloads(groups);
  const ridge = rankings.find((r) => r.model === "ridge" && r.metric === "prove_ms")!;
  assert.deepEqual(
    ridge.placings.map((p) => p.zkvm),
    ["ezkl", "risc0", "sp1"],
  );
  assert.equal(ridge.build, "native");
  assert.equal(rankings.filter((r) => r.model === "ridge" && r.metric === "prove_ms").length, 1, "one ranking, not one per build");
  assert.equal(circuitCrossovers(rankings)[0].crossesAt, "poly3");
});

test("the ladder ranks the provers per model, finds where the circuit compiler stops being the faster, and prices the precompile", () => {
  const groups = groupProofs(ladderRows());
  assert.equal(ladderSizes(groups).get("lab/x86_64"), 100, "the size with the most models");
  const rankings = rankWorkloads(groups);
  const prove = (model: string) => rankings.find((r) => r.model === model && r.metric === "prove_ms")!;
  assert.deepEqual(
    prove("ridge").placings.map((p) => [p.zkvm, p.value]),
    [
      ["ezkl", 25_000],
      ["risc0", 30_000],
      ["sp1", 45_000],
    ],
    "each prover with the precompile: RISC Zero's software-SHA proof is not its best",
  );
  assert.equal(prove("poly3").placings[0].zkvm, "sp1");
  assert.equal(prove("poly3").ratio, 130 / 80);
  assert.deepEqual(
    rankings.map((r) => r.model),
    ["ridge", "ridge", "ridge", "ridge", "poly2", "poly2", "poly2", "poly2", "poly3", "poly3", "poly3", "poly3"],
    "lightest model first, one ranking per metric",
  );
  const [crossover] = circuitCrossovers(rankings);
  assert.equal(crossover.crossesAt, "poly3");
  assert.deepEqual(
    crossover.points.map((p) => [p.model, p.zkvm, +p.ratio.toFixed(3)]),
    [
      ["ridge", "risc0", 0.833],
      ["poly2", "sp1", 0.9],
      ["poly3", "sp1", 2.5],
    ],
  );
  assert.match(
    crossoverSentence(crossover),
    /^crossover at poly3: the best zkVM \(SP1\) overtakes EZKL \(n = 100; EZKL's prove time over the best zkVM's: ridge 0\.83× RISC Zero/,
  );
  assert.deepEqual(
    precompileGains(groups).map((g) => [g.model, g.ratio]),
    [
      ["ridge", 130 / 30],
      ["poly3", 2],
    ],
  );
});

test("the summary states per model the best prover by each metric and its lead, the crossover, the precompile's worth and what was left out", () => {
  const out = tempDir();
  const md = writeSummary(ladderRows(), { markdown: join(out, "s.md"), csv: join(out, "s.csv") }, "ctx", {
    leftOut: [{ zkvm: "ezkl", model: "poly3", n: 1000, claim: false, executeOnly: false, why: "its proof of 1000 samples needs about 41 GiB" }],
  });
  const section = md.slice(md.indexOf("## Workloads"));
  assert.match(section, /- \*\*poly-ridge, degree 3\*\*, n = 100:\n {2}proves fastest: SP1 core, 80\.0 s \(next: RISC Zero composite, 1\.63×\)/);
  assert.match(section, /needs least memory: EZKL single/);
  assert.match(section, /- Circuit compiler vs zkVMs: crossover at poly3/);
  assert.match(section, /\| lab\/x86_64 \| poly3 \| 100 \| EZKL single \| 4000 \| 200\.0 \| 2\.50 \|/, "the ladder table: work per sample, × the fastest");
  assert.match(section, /\| RISC Zero \| composite \| poly3 \| 100 \| 130\.0 \| 260\.0 \| 2\.00 \|/, "precompile on vs off");
  assert.match(section, /- EZKL, poly3, n = 1000: its proof of 1000 samples needs about 41 GiB/);
  const single = writeSummary(
    ladderRows().filter((r) => r.model === "ridge"),
    { markdown: join(out, "s.md"), csv: join(out, "s.csv") },
    "ctx",
  );
  assert.ok(!single.includes("## Workloads"), "one model: no ladder to compare");
});

test("workload figures: prove time against work per sample per prover and SHA mode, log–log, labelled by model; precompile on vs off", () => {
  const rows = ladderRows();
  const fig = workloadProveTimeFigure(rows);
  const risc0 = fig.data.find((t) => t.name === "RISC Zero composite · SHA precompile · n = 100")!;
  assert.deepEqual(risc0.x, [300, 1100, 2600]);
  assert.deepEqual(risc0.y, [30, 60, 130]);
  assert.deepEqual(risc0.text, ["ridge", "poly2", "poly3"]);
  assert.ok(fig.data.some((t) => t.name === "RISC Zero composite · software SHA · n = 100"));
  assert.ok(
    fig.data.some((t) => t.name === "EZKL single · n = 100"),
    "a circuit has no SHA mode",
  );
  assert.equal((fig.layout.xaxis as { type: string }).type, "log");
  assert.equal((fig.layout.yaxis as { type: string }).type, "log");
  const bars = precompileProveTimeFigure(rows);
  assert.deepEqual(bars.data[0].x, ["RISC Zero composite · ridge", "RISC Zero composite · poly3"]);
  assert.deepEqual(bars.data[1].y, [130, 260]);
  const names = benchFigures(rows).map((f) => f.name);
  for (const name of ["workload-prove-time", "workload-memory", "workload-proof-size", "precompile-prove-time"]) assert.ok(names.includes(name), name);
  // The size-scaling figures keep to the configurations proven at two sizes somewhere (ridge with the precompile).
  const scaling = benchFigures(rows).find((f) => f.name === "prove-time")!.figure;
  assert.deepEqual(
    scaling.data.map((t) => t.name),
    ["EZKL single · ridge · SHA precompile · x86_64", "RISC Zero composite · ridge · SHA precompile · x86_64", "SP1 core · ridge · SHA precompile · x86_64"],
  );
});
