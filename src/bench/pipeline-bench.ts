// Benchmark of the TypeScript half: load + clean + features + train, per
// stage, on generated logs of several sizes (and the real sample). One
// untimed warm-up run per input, then the median of the timed runs.
// "train" is the exported claim (typed matrix, split, every model with CV);
// "evaluate" is the repeated-split evaluation on top of it, its own stage
// and outside the goal's total. Peak memory is the process's maxRSS.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { median } from "simple-statistics";
import { cleanTransactions } from "../data/clean.js";
import { computeFeatures } from "../data/features.js";
import { loadTransactions } from "../data/load.js";
import { featureMatrix } from "../model/matrix.js";
import { evaluateClaim, trainClaim } from "../model/train.js";
import { SHARED_SAMPLE } from "../paths.js";
import { ensureGeneratedData } from "../pipeline.js";
import { formatTable } from "../util/table.js";
import { fileStamp } from "../util/fs.js";

const STAGES = ["load", "clean", "features", "train"] as const;
const EXTRA_STAGES = ["evaluate"] as const;

function timedRun(path: string) {
  const ms: Record<string, number> = {};
  const time = <T>(stage: string, f: () => T): T => {
    const t0 = performance.now();
    const out = f();
    ms[stage] = performance.now() - t0;
    return out;
  };
  const loaded = time("load", () => loadTransactions(path));
  const cleaned = time("clean", () => cleanTransactions(loaded));
  const features = time("features", () => computeFeatures(cleaned.frame));
  if (features.frame.getColumn(features.target).nUnique() <= 1) {
    // Training refuses a constant target (R² undefined): time the data stages only.
    ms.total = ms.load + ms.clean + ms.features;
    return { ms, rows: loaded.frame.height, customers: features.frame.height, trained: null };
  }
  const claim = time("train", () => {
    const matrix = featureMatrix(features);
    return { matrix, fit: trainClaim(matrix) };
  });
  const trained = time("evaluate", () => evaluateClaim(claim.matrix, claim.fit));
  ms.total = STAGES.reduce((s, k) => s + ms[k], 0);
  ms.total_with_evaluate = ms.total + ms.evaluate;
  return { ms, rows: loaded.frame.height, customers: features.frame.height, trained };
}

export async function benchPipeline(o: { sizes: number[]; runs: number; sample?: string; out: string }): Promise<void> {
  const inputs: { label: string; path: string }[] = [];
  for (const n of o.sizes) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`--sizes: ${n} is not a positive integer`);
    process.stderr.write(`generating ${n} transactions (untimed)…\n`);
    inputs.push({ label: `generated-${n}`, path: ensureGeneratedData(n) });
  }
  const sample = o.sample ?? (existsSync(SHARED_SAMPLE) ? SHARED_SAMPLE : undefined);
  if (sample) inputs.push({ label: "kaggle-sample", path: sample });

  const timings: Record<string, unknown>[] = [];
  const metrics: Record<string, unknown>[] = [];
  for (const input of inputs) {
    process.stderr.write(`${input.label}: warm-up…\n`);
    const warm = timedRun(input.path);
    const runs = [];
    for (let r = 1; r <= o.runs; r++) {
      runs.push(timedRun(input.path));
      process.stderr.write(`${input.label}: run ${r}/${o.runs} ${runs[r - 1].ms.total.toFixed(0)} ms\n`);
    }
    const row: Record<string, unknown> = { input: input.label, transactions: warm.rows, customers: warm.customers, runs: o.runs };
    // maxRSS is the process's peak so far (KiB); inputs run in the order given, so list sizes smallest first.
    for (const k of [...STAGES, "total", ...EXTRA_STAGES, "total_with_evaluate"])
      row[`${k}_ms`] = k in warm.ms ? Math.round(median(runs.map((r) => r.ms[k]))) : null;
    row.peak_rss_mib = Math.round(process.resourceUsage().maxRSS / 1024);
    row.min_total_ms = Math.round(Math.min(...runs.map((r) => r.ms.total)));
    row.max_total_ms = Math.round(Math.max(...runs.map((r) => r.ms.total)));
    timings.push(row);
    if (!warm.trained) {
      row.note = "constant target: training refused (R² undefined)";
      continue;
    }
    const e = warm.trained.evaluation!;
    for (const m of warm.trained.metrics.filter((m) => m.split === "test"))
      metrics.push({
        input: input.label,
        model: m.model,
        test_r2: m.r2,
        test_mse: m.mse,
        test_mae: m.mae,
        test_n: m.n,
        [`r2_mean_${e.splits.length}_splits`]: e.summary[m.model].r2?.mean ?? null,
        r2_sd: e.summary[m.model].r2?.sd ?? null,
        ranks_first: `${e.rankFirst[m.model]}/${e.splits.length}`,
      });
  }
  const machine = { cpu: cpus()[0]?.model, cores: cpus().length, memory_gib: +(totalmem() / 2 ** 30).toFixed(1), node: process.version };
  console.log(formatTable(timings));
  console.log();
  console.log(formatTable(metrics));
  mkdirSync(o.out, { recursive: true });
  const file = join(o.out, `pipeline-${fileStamp()}.json`);
  writeFileSync(file, JSON.stringify({ machine, timings, metrics }, null, 2) + "\n");
  console.log(`\nwrote ${file}`);
}
