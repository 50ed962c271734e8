// Cleaning rules, applied in a fixed order; each dropped row gets the first
// rule it breaks, and every rule is counted with example rows and values.
import pl from "nodejs-polars";
import type { LoadedTransactions } from "./load.js";

export interface CleaningOptions {
  /** |amount − q·p·(1 − d/100)| above max(absolute, relative·expected) is a mismatch. */
  mismatchAbsoluteTolerance: number;
  mismatchRelativeTolerance: number;
  /** Amounts above Q3 + k·IQR (Tukey's fence) are outliers; null keeps them. */
  outlierIqrMultiplier: number | null;
  /** How many example rows to keep per reason. */
  examplesPerReason: number;
}

export const DEFAULT_CLEANING: CleaningOptions = {
  mismatchAbsoluteTolerance: 0.01,
  mismatchRelativeTolerance: 0.005,
  outlierIqrMultiplier: 3,
  examplesPerReason: 5,
};

export interface DropExample {
  row: number;
  column: string;
  value: string;
}

export interface DropReason {
  reason: string;
  rule: string;
  count: number;
  examples: DropExample[];
}

export interface CleaningReport {
  file: string;
  inputRows: number;
  keptRows: number;
  dropped: DropReason[];
  /** Amount above which rows were dropped as outliers (null: rule off or no rows). */
  outlierFence: number | null;
}

export interface CleanedTransactions {
  /** row, customer_id, ts, ts_ms, amount and the optional numeric fields, valid rows only. */
  frame: pl.DataFrame;
  report: CleaningReport;
}

interface Rule {
  reason: string;
  rule: string;
  /** Source column shown in examples. */
  column: string;
  field: string;
  broken: pl.Expr;
}

export function cleanTransactions(loaded: LoadedTransactions, options: Partial<CleaningOptions> = {}): CleanedTransactions {
  const opts = { ...DEFAULT_CLEANING, ...options };
  const m = loaded.mapping;
  const df = loaded.frame;
  const has = (field: string) => df.columns.includes(field);
  const invalidNumber = (field: string) => pl.col(field).isNull().or(pl.col(field).isNan());

  const rules: Rule[] = [
    { reason: "invalid_customer_id", rule: "customer id missing", column: m.customerId, field: "customer_id", broken: pl.col("customer_id").isNull() },
    { reason: "invalid_timestamp", rule: `timestamp missing or not in format ${m.timestampFormat}`, column: m.timestamp, field: "timestamp", broken: pl.col("ts").isNull() },
    { reason: "invalid_amount", rule: "amount missing or not a number", column: m.amount, field: "amount", broken: invalidNumber("amount") },
  ];
  const optional: [string, string | undefined][] = [["quantity", m.quantity], ["unit_price", m.unitPrice], ["discount_pct", m.discountPct]];
  for (const [field, column] of optional)
    if (column && has(field))
      rules.push({ reason: `invalid_${field}`, rule: `${field} missing or not a number`, column, field, broken: invalidNumber(field) });
  rules.push(
    { reason: "duplicate", rule: "exact duplicate of an earlier record (all columns)", column: m.customerId, field: "customer_id", broken: pl.col("first_occurrence").not() },
    { reason: "non_positive_amount", rule: "amount ≤ 0 (refunds, voids)", column: m.amount, field: "amount", broken: pl.col("amount").ltEq(0) },
  );
  if (m.quantity && has("quantity"))
    rules.push({ reason: "non_positive_quantity", rule: "quantity ≤ 0", column: m.quantity, field: "quantity", broken: pl.col("quantity").ltEq(0) });
  if (m.unitPrice && has("unit_price"))
    rules.push({ reason: "non_positive_price", rule: "unit price ≤ 0", column: m.unitPrice, field: "unit_price", broken: pl.col("unit_price").ltEq(0) });
  if (m.discountPct && has("discount_pct"))
    rules.push({ reason: "discount_out_of_range", rule: "discount outside [0, 100] %", column: m.discountPct, field: "discount_pct", broken: pl.col("discount_pct").lt(0).or(pl.col("discount_pct").gt(100)) });
  if (m.quantity && m.unitPrice && has("quantity") && has("unit_price")) {
    const discount = has("discount_pct") ? pl.col("discount_pct") : pl.lit(0);
    const expected = pl.col("quantity").mul(pl.col("unit_price")).mul(pl.lit(1).sub(discount.div(100)));
    const tolerance = pl.maxHorizontal([pl.lit(opts.mismatchAbsoluteTolerance), expected.abs().mul(opts.mismatchRelativeTolerance)]);
    rules.push({
      reason: "amount_mismatch",
      rule: `|amount − quantity·price·(1 − discount/100)| > max(${opts.mismatchAbsoluteTolerance}, ${opts.mismatchRelativeTolerance * 100}% of it)`,
      column: m.amount, field: "amount", broken: pl.col("amount").sub(expected).abs().gt(tolerance),
    });
  }

  // First broken rule wins; fill_null(false) so a null comparison never hides a row.
  let reasonExpr: pl.Expr = pl.lit(null).cast(pl.Utf8);
  for (const r of [...rules].reverse())
    reasonExpr = pl.when(r.broken.fillNull(false)).then(pl.lit(r.reason)).otherwise(reasonExpr);
  let tagged = df.withColumns(reasonExpr.alias("drop_reason"));

  // Outliers are judged on the rows that survived the rules above.
  let outlierFence: number | null = null;
  if (opts.outlierIqrMultiplier !== null) {
    const valid = tagged.filter(pl.col("drop_reason").isNull());
    if (valid.height > 0) {
      const q = valid.select(pl.col("amount").quantile(0.25).alias("q1"), pl.col("amount").quantile(0.75).alias("q3"));
      const [q1, q3] = [q.getColumn("q1").get(0) as number, q.getColumn("q3").get(0) as number];
      outlierFence = q3 + opts.outlierIqrMultiplier * (q3 - q1);
      tagged = tagged.withColumns(
        pl.when(pl.col("drop_reason").isNull().and(pl.col("amount").gt(outlierFence))).then(pl.lit("outlier_amount")).otherwise(pl.col("drop_reason")).alias("drop_reason"),
      );
      rules.push({
        reason: "outlier_amount", rule: `amount > Q3 + ${opts.outlierIqrMultiplier}·IQR = ${outlierFence.toFixed(2)}`,
        column: m.amount, field: "amount", broken: pl.lit(false),
      });
    }
  }

  const droppedRows = tagged.filter(pl.col("drop_reason").isNotNull());
  const dropped: DropReason[] = [];
  for (const r of rules) {
    const rows = droppedRows.filter(pl.col("drop_reason").eq(pl.lit(r.reason)));
    if (rows.height === 0) continue;
    const sample = rows.head(opts.examplesPerReason);
    const rawColumn = `${r.field}_raw`;
    const values = sample.columns.includes(rawColumn) ? (sample.getColumn(rawColumn).toArray() as (string | null)[]) : [];
    dropped.push({
      reason: r.reason, rule: r.rule, count: rows.height,
      examples: (sample.getColumn("row").toArray() as number[]).map((row, i) => ({ row: Number(row), column: r.column, value: values[i] ?? "" })),
    });
  }

  const keep = ["row", "customer_id", "ts", "ts_ms", ...["amount", "quantity", "unit_price", "discount_pct"].filter(has)];
  const frame = tagged.filter(pl.col("drop_reason").isNull()).select(...keep);
  return { frame, report: { file: loaded.path, inputRows: df.height, keptRows: frame.height, dropped, outlierFence } };
}

/** Plain-text cleaning report for the CLI and logs. */
export function formatCleaningReport(r: CleaningReport): string {
  const lines = [`${r.file}: ${r.inputRows} records, ${r.keptRows} kept, ${r.inputRows - r.keptRows} dropped`];
  for (const d of r.dropped) {
    const examples = d.examples.map((e) => `row ${e.row} ${e.column}=${JSON.stringify(e.value)}`).join("; ");
    lines.push(`  ${d.reason.padEnd(22)} ${String(d.count).padStart(7)}  ${d.rule}`, `  ${"".padEnd(30)} e.g. ${examples}`);
  }
  return lines.join("\n");
}
