// Honest evaluation of the model families: the mean-predictor baseline beside
// them, the same procedure repeated over several seeded customer splits, and
// how often each one ranks first. The exported claim is the first split.
import { type FitOptions, SCORED, type Scored, type SplitFit, fitFamilies, scoreFit } from "./fit-split.js";
import { type ScoreSpread, spreadOf } from "./interval.js";
import { type FeatureMatrix, orderOf } from "./matrix.js";
import type { Metrics } from "./metrics.js";
import { splitByCustomer } from "./split.js";

export const DEFAULT_EVALUATION_SPLITS = 5;

export interface SplitOutcome {
  seed: number;
  nTrain: number;
  nTest: number;
  test: Record<Scored, Metrics>;
  /** Lowest test MSE (ties go to the earlier entry in SCORED, the baseline first). */
  first: Scored;
}

export interface RepeatedEvaluation {
  method: string;
  /** Split seeds: the claim's seed, then the next ones. */
  seeds: number[];
  testFraction: number;
  interval: string;
  rankedBy: "test MSE";
  splits: SplitOutcome[];
  /** Per model: R² is null when fewer than two splits had a non-constant test target. */
  summary: Record<Scored, { r2: ScoreSpread | null; mse: ScoreSpread; mae: ScoreSpread }>;
  /** Splits in which each entry had the lowest test MSE; sums to the number of splits. */
  rankFirst: Record<Scored, number>;
}

export const EVALUATION_METHOD = "repeated random customer splits (seeds seed…seed+J−1, same test fraction; each split refits every model, CV λ included)";
export const INTERVAL_METHOD =
  "mean ± t(0.975; J−1)·sd·√(1/J + n_test/n_train) (Nadeau–Bengio corrected resampled t); MSE and MAE intervals truncated at 0, which they cannot go below";

export function splitOutcome(seed: number, nTrain: number, test: Record<Scored, Metrics>): SplitOutcome {
  const first = SCORED.reduce((best, s) => (test[s].mse < test[best].mse ? s : best));
  return { seed, nTrain, nTest: test[SCORED[0]].n, test, first };
}

/** Summary statistics of already scored splits (pure: the tests recompute it directly). */
export function summarizeSplits(splits: readonly SplitOutcome[], testFraction: number): RepeatedEvaluation {
  const ratio = splits.reduce((a, s) => a + s.nTest / s.nTrain, 0) / splits.length;
  const summary = {} as RepeatedEvaluation["summary"];
  const rankFirst = {} as RepeatedEvaluation["rankFirst"];
  for (const s of SCORED) {
    const r2 = splits.map((o) => o.test[s].r2).filter((v): v is number => v !== null);
    summary[s] = {
      r2: r2.length >= 2 ? spreadOf(r2, ratio) : null,
      mse: spreadOf(
        splits.map((o) => o.test[s].mse),
        ratio,
        0,
      ),
      mae: spreadOf(
        splits.map((o) => o.test[s].mae),
        ratio,
        0,
      ),
    };
    rankFirst[s] = splits.filter((o) => o.first === s).length;
  }
  return {
    method: EVALUATION_METHOD,
    seeds: splits.map((o) => o.seed),
    testFraction,
    interval: INTERVAL_METHOD,
    rankedBy: "test MSE",
    splits: [...splits],
    summary,
    rankFirst,
  };
}

/**
 * Refit and score on `splits` seeded customer splits, seeds seed, seed+1, …
 * `claim` is the already fitted first split (seed `seed`), reused as is.
 */
export function evaluateRepeatedSplits(
  m: FeatureMatrix,
  o: FitOptions & { testFraction: number; seed: number; splits: number },
  claim?: { fit: SplitFit; train: ArrayLike<number>; test: ArrayLike<number> },
): RepeatedEvaluation {
  if (!(Number.isInteger(o.splits) && o.splits >= 2)) throw new RangeError(`repeated evaluation needs at least 2 splits, got ${o.splits}`);
  const outcomes: SplitOutcome[] = [];
  for (let k = 0; k < o.splits; k++) {
    const seed = o.seed + k;
    if (k === 0 && claim) {
      outcomes.push(splitOutcome(seed, claim.train.length, scoreFit(m, claim.fit, claim.test)));
      continue;
    }
    const split = splitByCustomer(orderOf(m), o.testFraction, seed);
    const fit = fitFamilies(m, split.train, o, seed);
    outcomes.push(splitOutcome(seed, split.train.length, scoreFit(m, fit, split.test)));
  }
  return summarizeSplits(outcomes, o.testFraction);
}

const num = (v: number) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : v.toFixed(4));

/** Rows for a table (CLI, notebook): one per model, the baseline first. */
export function evaluationRows(e: RepeatedEvaluation): Record<string, string | number>[] {
  return SCORED.map((s) => {
    const m = e.summary[s];
    const low = (x: ScoreSpread) => (x.truncated ? `${num(x.ci95[0])} (truncated)` : num(x.ci95[0]));
    const cell = (x: ScoreSpread | null) => (x ? `${num(x.mean)} ± ${num(x.sd)}  [${low(x)}, ${num(x.ci95[1])}]` : "undefined");
    return {
      model: s === "mean" ? "mean (baseline)" : s,
      "test R² mean ± sd [95% CI]": cell(m.r2),
      "test MSE": cell(m.mse),
      "test MAE": cell(m.mae),
      "ranks first": `${e.rankFirst[s]}/${e.splits.length}`,
    };
  });
}

/** The line above the table: what was repeated, and how the interval is made. */
export function evaluationHeadline(e: RepeatedEvaluation): string {
  return (
    `Repeated evaluation: ${e.splits.length} customer splits (seeds ${e.seeds[0]}–${e.seeds[e.seeds.length - 1]}, test fraction ${e.testFraction}); ` +
    `the exported claim is seed ${e.seeds[0]}. Ranked by ${e.rankedBy}. 95% CI: ${e.interval}.`
  );
}

/**
 * The block the CLI prints after a training run: the repeated-split table and
 * every warning. The table layout is passed in (the CLI's and the notebook's
 * differ; the library does not import the CLI).
 */
export function formatEvaluation(
  t: { evaluation: RepeatedEvaluation | null; warnings: readonly string[] },
  table: (rows: Record<string, unknown>[]) => string,
): string {
  const parts = t.evaluation ? [evaluationHeadline(t.evaluation), table(evaluationRows(t.evaluation))] : [];
  return [...parts, ...t.warnings].join("\n");
}
