// The verdict on a published claim, from what a verifier proved. Pure (no
// files, no processes), so every place that decides a claim decides it the
// same way: `zkml verify`, the notebooks, and a page in a browser.
//
// A claimed score is checked exactly: it names its value and, explicitly or by
// its decimals, its tolerance, and the verdict states the interval it accepted.
// "R² 1" cannot pass for a proven 0.678: a claim of fewer than three decimals is
// refused (a usage error, nothing verified) unless it names a tolerance, and no
// tolerance may be wider than half a unit in the third decimal.

export const CLAIM_METRICS = ["r2", "mse", "mae"] as const;
export type ClaimMetric = (typeof CLAIM_METRICS)[number];
export const METRIC_LABEL: Readonly<Record<ClaimMetric, string>> = { r2: "R²", mse: "MSE", mae: "MAE" };

/** A claim checked at its own decimals needs at least this many. */
export const MIN_CLAIM_DECIMALS = 3;
/** The widest tolerance a claim may name: half a unit in the third decimal. */
export const MAX_TOLERANCE = 0.0005;

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** The claim itself cannot be checked as stated: nothing was verified (`zkml verify` exits 2). */
export class ClaimUsageError extends Error {
  override name = "ClaimUsageError";
}

/** One claimed score and the interval of proven values it accepts. */
export interface ClaimedScore {
  metric: ClaimMetric;
  /** As published, e.g. "0.293". */
  text: string;
  tolerance: number;
  /** Where the tolerance came from: the claim's decimals, or named explicitly. */
  rule: "decimals" | "explicit";
  low: number;
  high: number;
  /** Decimals to print the interval with: enough to show its ends exactly. */
  printDecimals: number;
}

const decimalsOf = (text: string): number => text.split(".")[1]?.length ?? 0;

/** A tolerance as given on a command line: a positive decimal, at most MAX_TOLERANCE. */
export function parseTolerance(text: string): { value: number; decimals: number } {
  const t = text.trim();
  if (!DECIMAL.test(t) || Number(t) <= 0) throw new ClaimUsageError(`--tolerance '${text}' is not a positive decimal number (e.g. 0.0005)`);
  if (Number(t) > MAX_TOLERANCE)
    throw new ClaimUsageError(
      `--tolerance ${t} is wider than ${MAX_TOLERANCE}, half a unit in the third decimal: a claim that loose says little, so it is not checked`,
    );
  return { value: Number(t), decimals: decimalsOf(t) };
}

/** Parses one claimed score; `tolerance` (as given) overrides the claim's decimals. */
export function parseClaim(metric: ClaimMetric, text: string, tolerance?: string): ClaimedScore {
  const t = text.trim();
  if (!DECIMAL.test(t)) throw new ClaimUsageError(`--${metric} '${text}' is not a decimal number`);
  const decimals = decimalsOf(t);
  if (tolerance !== undefined) {
    const tol = parseTolerance(tolerance);
    return interval(metric, t, tol.value, "explicit", Math.max(decimals, tol.decimals));
  }
  if (decimals < MIN_CLAIM_DECIMALS)
    throw new ClaimUsageError(
      `--${metric} ${t} states ${decimals} decimal${decimals === 1 ? "" : "s"}: a claim is checked at its own decimals, which must be at least ` +
        `${MIN_CLAIM_DECIMALS} (e.g. --${metric} ${Number(t).toFixed(MIN_CLAIM_DECIMALS)}), or name a --tolerance of at most ${MAX_TOLERANCE}`,
    );
  return interval(metric, t, 0.5 * 10 ** -decimals, "decimals", decimals + 1);
}

/** value ± tolerance, its ends rounded to the decimals they are exact at (0.6775, not 0.67750000000000001). */
function interval(metric: ClaimMetric, text: string, tolerance: number, rule: ClaimedScore["rule"], printDecimals: number): ClaimedScore {
  const end = (x: number) => Number(x.toFixed(printDecimals));
  const value = Number(text);
  return { metric, text, tolerance, rule, low: end(value - tolerance), high: end(value + tolerance), printDecimals };
}

/** Every claimed score of a request, parsed; a claim of none is allowed (commitments only). */
export function parseClaims(claims: Partial<Record<ClaimMetric, string>>, tolerance?: string): ClaimedScore[] {
  if (tolerance !== undefined) parseTolerance(tolerance);
  const parsed: ClaimedScore[] = [];
  for (const metric of CLAIM_METRICS) {
    const text = claims[metric];
    if (text !== undefined) parsed.push(parseClaim(metric, text, tolerance));
  }
  if (tolerance !== undefined && parsed.length === 0) throw new ClaimUsageError("--tolerance was given, but no score was claimed (--r2, --mse or --mae)");
  return parsed;
}

/** A claimed score against the proven one. */
export interface ScoreCheck extends ClaimedScore {
  /** null: the proof defines no such score (R² with constant targets). */
  proven: number | null;
  holds: boolean;
}

export function checkScore(claim: ClaimedScore, proven: number | null): ScoreCheck {
  // The interval's ends are decimals held as doubles: a proven value exactly on
  // an end must not fall out by the last bit of either representation.
  const slack = claim.tolerance * 1e-9;
  const holds = proven !== null && proven >= claim.low - slack && proven <= claim.high + slack;
  return { ...claim, proven, holds };
}

const intervalOf = (c: ClaimedScore) => `[${c.low.toFixed(c.printDecimals)}, ${c.high.toFixed(c.printDecimals)}]`;
const provenText = (c: ScoreCheck) => (c.proven === null ? "undefined (constant targets)" : String(c.proven));

/** One line per check: the claim, the interval it accepted and why, the proven value. */
export function describeCheck(c: ScoreCheck): string {
  const why = c.rule === "decimals" ? `its ${c.printDecimals - 1} decimals` : `tolerance ${c.tolerance}`;
  return `claim: ${METRIC_LABEL[c.metric]} ${c.text} accepts ${intervalOf(c)} (${why}); proven ${provenText(c)}: ${c.holds ? "holds" : "does not hold"}`;
}

/** Why a check failed, for the verdict's reasons. */
function failureOf(c: ScoreCheck): string {
  const label = METRIC_LABEL[c.metric];
  return `claimed ${label} ${c.text}, but the proof shows ${label} ${provenText(c)}, outside the accepted ${intervalOf(c)}`;
}

/** What a verifier's host established about a proof. */
export interface Proven {
  r2: number | null;
  mse: number;
  mae: number;
  n_samples: number;
}

/** The verdict: PASS only when the proof verified for the guest, both
 *  commitments matched (checked by the host), and every claimed score holds. */
export interface Verdict {
  ok: boolean;
  /** Why it failed, one line each; empty when it passed. */
  reasons: string[];
  /** Each claimed score against the proven one, also when the verdict passed. */
  checks: ScoreCheck[];
  /** What a PASS does not establish (e.g. a setup the prover made itself). */
  caveats: string[];
}

export function verdictOf(proven: Proven, claims: readonly ClaimedScore[], caveats: string[] = []): Verdict {
  const checks = claims.map((c) => checkScore(c, proven[c.metric]));
  const reasons = checks.filter((c) => !c.holds).map(failureOf);
  return { ok: reasons.length === 0, reasons, checks, caveats };
}
