// Cleaning rules, applied in a fixed order; each dropped row gets the first
// rule it breaks, and every rule is counted with example rows and values.
import pl from "nodejs-polars";
import { describeSeparator } from "./delimited.js";
import type { LoadedTransactions } from "./load.js";
import { DAY_MS } from "./window.js";

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
  /** More days than this between two consecutive transaction days splits the log into stretches (see dateBulk). */
  maxDateGapDays: number;
}

export const DEFAULT_CLEANING: CleaningOptions = {
  mismatchAbsoluteTolerance: 0.01,
  mismatchRelativeTolerance: 0.005,
  duplicates: "auto",
  examplesPerReason: 5,
  maxDateGapDays: 365,
};

/** Rows outside the bulk of the dates are dropped as stray while they are at most this share of the valid rows. */
export const MAX_ISOLATED_DATE_SHARE = 0.01;

/** A log that cleaning cannot decide about on its own (its dates fall into separate stretches). */
export class CleaningError extends Error {
  override name = "CleaningError";
}

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

/** The stretch of calendar days the kept rows span, and the gap rule that bounded it. */
export interface DateBulk {
  firstDay: string;
  lastDay: string;
  maxGapDays: number;
  /** Valid rows dated outside it (dropped as isolated_early_date / isolated_late_date). */
  isolatedRows: number;
}

/** A customer none of whose rows was kept: absent from the feature table. */
export interface DroppedCustomer {
  customerId: string;
  rows: number;
  reasons: string[];
}

export interface CleaningReport {
  file: string;
  inputRows: number;
  keptRows: number;
  dropped: DropReason[];
  duplicates: DuplicateReport;
  /** Null when no row is valid. */
  dateBulk: DateBulk | null;
  /** Customers with rows in the log but none kept (e.g. only $0 orders): the count and the first few. */
  customersDropped: { count: number; examples: DroppedCustomer[] };
  /** Legitimate but worth a look: unused duplicate column names, trailing empty fields. */
  warnings: string[];
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
  rules.push({
    reason: "non_positive_amount",
    rule: "amount ≤ 0 (refunds, voids, $0 orders)",
    column: m.amount,
    field: "amount",
    broken: pl.col("amount").ltEq(0),
  });
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
  let tagged = df.withColumns(reasonExpr.alias("drop_reason"));

  // Dates far from the rest: only now, among rows valid by every other rule.
  const bulk = dateBulk(tagged, opts.maxDateGapDays, loaded.path);
  if (bulk && bulk.isolatedRows > 0) {
    const [from, to] = [bulk.firstMs, bulk.endMs];
    const valid = pl.col("drop_reason").isNull();
    const where = `the log's bulk (${bulk.firstDay} … ${bulk.lastDay}) by more than ${opts.maxDateGapDays} days without a transaction (--max-date-gap-days)`;
    const early = valid.and(pl.col("ts_ms").lt(from));
    const late = valid.and(pl.col("ts_ms").gtEq(to));
    rules.push(
      { reason: "isolated_early_date", rule: `dated before ${bulk.firstDay}, separated from ${where}`, column: m.timestamp, field: "timestamp", broken: early },
      { reason: "isolated_late_date", rule: `dated after ${bulk.lastDay}, separated from ${where}`, column: m.timestamp, field: "timestamp", broken: late },
    );
    tagged = tagged.withColumns(
      pl
        .when(early)
        .then(pl.lit("isolated_early_date"))
        .otherwise(pl.when(late).then(pl.lit("isolated_late_date")).otherwise(pl.col("drop_reason")))
        .alias("drop_reason"),
    );
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
  const dateBulkReport = bulk && { firstDay: bulk.firstDay, lastDay: bulk.lastDay, maxGapDays: opts.maxDateGapDays, isolatedRows: bulk.isolatedRows };
  return {
    frame,
    report: {
      file: loaded.path,
      inputRows: df.height,
      keptRows: frame.height,
      dropped,
      duplicates,
      dateBulk: dateBulkReport,
      customersDropped: customersDropped(droppedRows, frame, opts.examplesPerReason),
      warnings: loaded.warnings ?? [],
      ...read,
    },
  };
}

// Dates far from the rest of a log (a mistyped year, a 2099-12-31 or 1900-01-01 placeholder) would
// otherwise place the windows: the horizon is the log's last days, so five rows dated 2099 in a 1997–1998
// log made 2098–2099 the horizon. We do what data-validation tools do (Great Expectations' `mostly`, dbt
// tests' warn_if/error_if thresholds, pandera's failure cases): name every such row with its value,
// tolerate a few, stop when there are many. A few stray dates are invalid values like any other, so they
// are dropped with a reason in the cleaning report; when they are more than 1% of the rows it is no longer
// a typo but a log with a real gap in it, and which part is meant is the user's call, so it is an error.
// "Far" is a gap with no transaction at all, which needs no assumption about the dates' distribution and
// catches dates far before the bulk as well as after it: a quantile rule would flag the ordinary tails of
// a long, growing log.
interface Bulk {
  firstDay: string;
  lastDay: string;
  firstMs: number;
  /** Exclusive: the midnight after the bulk's last day. */
  endMs: number;
  isolatedRows: number;
}

const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The stretch of transaction days with the most valid rows, where stretches are split by gaps > maxGapDays. */
function dateBulk(tagged: pl.DataFrame, maxGapDays: number, file: string): Bulk | null {
  if (!(Number.isInteger(maxGapDays) && maxGapDays >= 1)) throw new RangeError(`the date gap must be a whole number of days ≥ 1, got ${maxGapDays}`);
  const perDay = tagged
    .lazy()
    .filter(pl.col("drop_reason").isNull())
    .select(pl.col("ts_ms").div(DAY_MS).floor().alias("day"))
    .groupBy("day")
    .agg(pl.len().alias("rows"))
    .sort("day")
    .collectSync();
  if (perDay.height === 0) return null;
  const days = perDay.getColumn("day").toArray() as number[];
  const rows = (perDay.getColumn("rows").toArray() as number[]).map(Number);
  const stretches: { first: number; last: number; rows: number }[] = [];
  for (const [i, day] of days.entries()) {
    const current = stretches[stretches.length - 1];
    if (current && day - current.last <= maxGapDays) {
      current.last = day;
      current.rows += rows[i];
    } else stretches.push({ first: day, last: day, rows: rows[i] });
  }
  const bulk = stretches.reduce((a, b) => (b.rows >= a.rows ? b : a));
  const total = rows.reduce((a, b) => a + b, 0);
  const isolatedRows = total - bulk.rows;
  if (isolatedRows > MAX_ISOLATED_DATE_SHARE * total) {
    const widest = Math.max(...stretches.slice(1).map((s, i) => s.first - stretches[i].last));
    const pct = (n: number) => `${((100 * n) / total).toFixed(1)}%`;
    throw new CleaningError(
      `${file}: the valid rows' dates fall into ${stretches.length} stretches separated by more than ${maxGapDays} days without a transaction: ` +
        `${stretches
          .slice(0, 5)
          .map((s) => `${isoDay(s.first)} … ${isoDay(s.last)} (${s.rows} rows, ${pct(s.rows)})`)
          .join("; ")}${stretches.length > 5 ? "; …" : ""}. ` +
        `Outside the largest are ${isolatedRows} rows (${pct(isolatedRows)}), too many to drop as stray dates (at most ${100 * MAX_ISOLATED_DATE_SHARE}%): ` +
        `pass --max-date-gap-days ${widest} to keep the log whole, or trim it to the part you mean`,
    );
  }
  return {
    firstDay: isoDay(bulk.first),
    lastDay: isoDay(bulk.last),
    firstMs: bulk.first * DAY_MS,
    endMs: (bulk.last + 1) * DAY_MS,
    isolatedRows,
  };
}

/** Customers with at least one row in the log and none kept. */
function customersDropped(droppedRows: pl.DataFrame, kept: pl.DataFrame, examples: number): CleaningReport["customersDropped"] {
  if (droppedRows.height === 0) return { count: 0, examples: [] };
  const lost = droppedRows
    .filter(pl.col("customer_id").isNotNull())
    .groupBy("customer_id")
    .agg(pl.len().alias("rows"), pl.col("drop_reason").unique().sort().alias("reasons"))
    .join(kept.select("customer_id").unique(), { on: "customer_id", how: "anti" })
    .sort("customer_id");
  const first = lost.head(examples).toRecords() as unknown as { customer_id: string; rows: number; reasons: string[] }[];
  return { count: lost.height, examples: first.map((c) => ({ customerId: c.customer_id, rows: Number(c.rows), reasons: [...c.reasons] })) };
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
  if (r.dateBulk)
    lines.push(
      `  dates: ${r.dateBulk.firstDay} … ${r.dateBulk.lastDay}` +
        (r.dateBulk.isolatedRows
          ? ` (the bulk); ${r.dateBulk.isolatedRows} row(s) more than ${r.dateBulk.maxGapDays} days away dropped, see isolated_*_date`
          : `, no gap over ${r.dateBulk.maxGapDays} days`),
    );
  const lost = r.customersDropped;
  if (lost.count)
    lines.push(
      `  warning: ${lost.count} customer(s) had every row dropped and are not in the feature table: ` +
        lost.examples.map((c) => `${JSON.stringify(c.customerId)} (${c.rows} row${c.rows === 1 ? "" : "s"}: ${c.reasons.join(", ")})`).join("; ") +
        (lost.count > lost.examples.length ? "; …" : ""),
    );
  for (const w of r.warnings) lines.push(`  ${w}`);
  return lines.join("\n");
}
