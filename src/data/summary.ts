// The one plain-text summary of a prepared data set, printed by `data`,
// `train` and `export` alike: the cleaning report, the calendar window, what
// winsorizing touched, and the features.
import { type CleaningReport, formatCleaningReport } from "./clean.js";
import type { FeatureTable } from "./features.js";
import { DAY_MS } from "./window.js";

const day = (d: Date) => d.toISOString().slice(0, 10);
const dollars = (x: number) => x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatWindow(f: FeatureTable): string {
  const w = f.window;
  const lastDay = new Date(w.horizonEnd.getTime() - DAY_MS);
  return [
    `window: calibration ${day(w.firstTransaction)} … ${day(new Date(w.cutoff.getTime() - 1))} (${w.calibrationTransactions} transactions, $${dollars(w.calibrationSpend)}); ` +
      `horizon ${day(w.cutoff)} … ${day(lastDay)} inclusive, ${w.horizonDays} days (${w.horizonTransactions} transactions, $${dollars(w.horizonSpend)})`,
    `  cutoff ${w.cutoff.toISOString()}; target ${f.target} sums to $${dollars(w.targetSum)} ` +
      `(+ $${dollars(w.horizonSpendNewCustomers)} from customers first seen in the horizon, who have no features)`,
    ...(w.afterHorizonTransactions ? [`  ${w.afterHorizonTransactions} transactions after the horizon's end are in neither window`] : []),
  ].join("\n");
}

export function formatWinsorizing(f: FeatureTable): string {
  const r = f.winsorizing;
  if (r.iqrMultiplier === null) return `winsorizing: off (monetary features raw); target customers touched: ${r.targetCustomersTouched}`;
  const parts = r.features.map(
    (x) => `${x.feature} capped at ${x.fence.toFixed(2)} for ${x.customers} customers ($${dollars(x.dollarsRemoved)} above the fence)`,
  );
  return (
    `winsorizing (features only, exp(Q3 + ${r.iqrMultiplier}·IQR) of log spend over calibration customers): ${parts.join("; ")}; ` +
    `${r.customersTouched} customers touched; target customers touched: ${r.targetCustomersTouched}`
  );
}

export function formatDataSummary(cleaning: CleaningReport, f: FeatureTable): string {
  return [
    formatCleaningReport(cleaning),
    formatWindow(f),
    formatWinsorizing(f),
    `${f.frame.height} customers, ${f.returningCustomers} returning in the ${f.target} horizon; features: ${f.featureNames.join(", ")}`,
  ].join("\n");
}
