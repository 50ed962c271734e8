// Cleaning rules, applied in a fixed order; each dropped row gets the first
// rule it breaks, and every rule is counted with example rows and values.
import pl from "nodejs-polars";
import { describeSeparator } from "./delimited.js";
import type { LoadedTransactions } from "./load.js";

/** Exact duplicates are dropped only where they can be told from real repeat orders. */
export type DuplicatePolicy = "auto" | "drop" | "keep";
export const DUPLICATE_POLICIES: readonly DuplicatePolicy[] = ["auto", "drop", "keep"];

export interface CleaningOptions {
  /** |amount − q·p·(1 − d/100)| above max(absolute, relative·expected) is a mismatch. */
  mismatchAbsoluteTolerance: number;
  mismatchRelativeTolerance: number;
  /** auto: drop exact duplicates when the log has a transaction id or a time of day, keep them on date-only logs. */
  duplicates: DuplicatePolicy;
  /** How many example rows to keep per reason. */
  examplesPerReason: number;
}

export const DEFAULT_CLEANING: CleaningOptions = {
  mismatchAbsoluteTolerance: 0.01,
  mismatchRelativeTolerance: 0.005,
  duplicates: "auto",
  examplesPerReason: 5,
};

export interface DuplicateReport {
  policy: DuplicatePolicy;
  /** What the policy did on this log. */
  applied: "drop" | "keep";
  why: string;
  /** Exact copies of an earlier record among otherwise valid rows (dropped or kept). */
  found: number;
}

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
  duplicates: DuplicateReport;
  /** How the file was read. */
  separator: string;
  gzip: boolean;
  timeOfDay: boolean;
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
  const duplicates = duplicateDecision(opts.duplicates, loaded);

  const rules: Rule[] = [
    { reason: "invalid_customer_id", rule: "customer id missing", column: m.customerId, field: "customer_id", broken: pl.col("customer_id").isNull() },
    {
      reason: "invalid_timestamp",
      rule: `timestamp missing or not in format ${m.timestampFormat}`,
      column: m.timestamp,
      field: "timestamp",
      broken: pl.col("ts").isNull(),
    },
  ];
  const numeric: [string, string | undefined][] = [
    ["amount", m.amount],
    ["quantity", m.quantity],
    ["unit_price", m.unitPrice],
    ["discount_pct", m.discountPct],
  ];
  for (const [field, column] of numeric)
    if (column && has(field))
      rules.push(
        { reason: `invalid_${field}`, rule: `${field} missing or not a number`, column, field, broken: pl.col(field).isNull() },
        { reason: `non_finite_${field}`, rule: `${field} is NaN or infinite`, column, field, broken: pl.col(field).isFinite().not() },
      );
  if (duplicates.applied === "drop")
    rules.push({
      reason: "duplicate",
      rule: `exact duplicate of an earlier record (all columns; ${duplicates.why})`,
      column: m.customerId,
      field: "customer_id",
      broken: pl.col("first_occurrence").not(),
    });
  rules.push({ reason: "non_positive_amount", rule: "amount ≤ 0 (refunds, voids)", column: m.amount, field: "amount", broken: pl.col("amount").ltEq(0) });
  if (m.quantity && has("quantity"))
    rules.push({ reason: "non_positive_quantity", rule: "quantity ≤ 0", column: m.quantity, field: "quantity", broken: pl.col("quantity").ltEq(0) });
  if (m.unitPrice && has("unit_price"))
    rules.push({ reason: "non_positive_price", rule: "unit price ≤ 0", column: m.unitPrice, field: "unit_price", broken: pl.col("unit_price").ltEq(0) });
  if (m.discountPct && has("discount_pct"))
    rules.push({
      reason: "discount_out_of_range",
      rule: "discount outside [0, 100] %",
      column: m.discountPct,
      field: "discount_pct",
      broken: pl.col("discount_pct").lt(0).or(pl.col("discount_pct").gt(100)),
    });
  if (m.quantity && m.unitPrice && has("quantity") && has("unit_price")) {
    const discount = has("discount_pct") ? pl.col("discount_pct") : pl.lit(0);
    const expected = pl
      .col("quantity")
      .mul(pl.col("unit_price"))
      .mul(pl.lit(1).sub(discount.div(100)));
    const tolerance = pl.maxHorizontal([pl.lit(opts.mismatchAbsoluteTolerance), expected.abs().mul(opts.mismatchRelativeTolerance)]);
    rules.push({
      reason: "amount_mismatch",
      rule: `|amount − quantity·price·(1 − discount/100)| > max(${opts.mismatchAbsoluteTolerance}, ${opts.mismatchRelativeTolerance * 100}% of it)`,
      column: m.amount,
      field: "amount",
      broken: pl.col("amount").sub(expected).abs().gt(tolerance),
    });
  }

  // First broken rule wins; fill_null(false) so a null comparison never hides a row.
  let reasonExpr: pl.Expr = pl.lit(null).cast(pl.Utf8);
  for (const r of [...rules].reverse()) reasonExpr = pl.when(r.broken.fillNull(false)).then(pl.lit(r.reason)).otherwise(reasonExpr);
  const tagged = df.withColumns(reasonExpr.alias("drop_reason"));

  const droppedRows = tagged.filter(pl.col("drop_reason").isNotNull());
  const dropped: DropReason[] = [];
  for (const r of rules) {
    const rows = droppedRows.filter(pl.col("drop_reason").eq(pl.lit(r.reason)));
    if (rows.height === 0) continue;
    const sample = rows.head(opts.examplesPerReason);
    const rawColumn = `${r.field}_raw`;
    const values = sample.columns.includes(rawColumn) ? (sample.getColumn(rawColumn).toArray() as (string | null)[]) : [];
    dropped.push({
      reason: r.reason,
      rule: r.rule,
      count: rows.height,
      examples: (sample.getColumn("row").toArray() as number[]).map((row, i) => ({ row: Number(row), column: r.column, value: values[i] ?? "" })),
    });
  }

  const keep = ["row", "customer_id", "ts", "ts_ms", ...["amount", "quantity", "unit_price", "discount_pct", "transaction_id"].filter(has)];
  // Select before filtering: the raw text columns are not copied for the kept rows.
  const valid = tagged.select(...keep, "first_occurrence", "drop_reason").filter(pl.col("drop_reason").isNull());
  const frame = valid.select(...keep);
  if (duplicates.applied === "keep") duplicates.found = valid.filter(pl.col("first_occurrence").not()).height;
  else duplicates.found = dropped.find((d) => d.reason === "duplicate")?.count ?? 0;
  const read = { separator: describeSeparator(loaded.separator), gzip: loaded.gzip, timeOfDay: loaded.timeOfDay };
  return { frame, report: { file: loaded.path, inputRows: df.height, keptRows: frame.height, dropped, duplicates, ...read } };
}

function duplicateDecision(policy: DuplicatePolicy, loaded: LoadedTransactions): DuplicateReport {
  const base = { policy, found: 0 };
  if (policy === "drop") return { ...base, applied: "drop", why: "dropped as asked (--duplicates drop)" };
  if (policy === "keep") return { ...base, applied: "keep", why: "kept as asked (--duplicates keep)" };
  if (loaded.mapping.transactionId) return { ...base, applied: "drop", why: `the log has a transaction id (${loaded.mapping.transactionId})` };
  if (loaded.timeOfDay) return { ...base, applied: "drop", why: "timestamps carry a time of day" };
  return { ...base, applied: "keep", why: "date-only log without a transaction id: identical rows are likely real repeat orders" };
}

/** Plain-text cleaning report for the CLI and logs. */
export function formatCleaningReport(r: CleaningReport): string {
  const read = `${r.separator}-separated${r.gzip ? ", gzip" : ""}, ${r.timeOfDay ? "with times of day" : "date-only"}`;
  const lines = [`${r.file} (${read}): ${r.inputRows} records, ${r.keptRows} kept, ${r.inputRows - r.keptRows} dropped`];
  for (const d of r.dropped) {
    const examples = d.examples.map((e) => `row ${e.row} ${e.column}=${JSON.stringify(e.value)}`).join("; ");
    lines.push(`  ${d.reason.padEnd(22)} ${String(d.count).padStart(7)}  ${d.rule}`, `  ${"".padEnd(30)} e.g. ${examples}`);
  }
  const d = r.duplicates;
  lines.push(`  duplicates: ${d.found} exact copies ${d.applied === "drop" ? "dropped" : "kept"} (policy ${d.policy}: ${d.why})`);
  return lines.join("\n");
}
