// Read a transaction log into typed columns. Every value that fails to parse
// becomes null here and is counted, with its row, by cleanTransactions: no row
// disappears without a reason.
import pl from "nodejs-polars";
import { DelimitedFileError, type DelimitedText, type Separator, describeSeparator, readDelimited } from "./delimited.js";
import { type ColumnMapping, KAGGLE_MAPPING, mappedColumns } from "./schema.js";
import { TimestampFormatError, checkTimestampFormat, formatHasTimeOfDay, parseTimestamp } from "./timestamp.js";
import { DAY_MS } from "./window.js";

export class TransactionFileError extends Error {
  override name = "TransactionFileError";
}

/** A loaded log: one row per source record, canonical columns plus raw text for reports. */
export interface LoadedTransactions {
  path: string;
  mapping: ColumnMapping;
  /** Columns: row (1-based record number), customer_id, ts, ts_ms, amount, [quantity, unit_price, discount_pct,
   *  transaction_id], first_occurrence (false for an exact duplicate of an earlier record), and <field>_raw text. */
  frame: pl.DataFrame;
  sourceColumns: string[];
  separator: Separator;
  gzip: boolean;
  /** False when the format has no time of day, or every parsed timestamp is at midnight: a date-only log. */
  timeOfDay: boolean;
  /** What was read but is worth a look: unused duplicate column names, trailing empty fields. */
  warnings: string[];
}

export const NUMERIC_FIELDS = ["amount", "quantity", "unit_price", "discount_pct"] as const;

export function loadTransactions(path: string, mapping: ColumnMapping = KAGGLE_MAPPING): LoadedTransactions {
  let read: DelimitedText;
  try {
    checkTimestampFormat(mapping.timestampFormat); // a mapping built in code skips parseMapping's check
    read = readDelimited(path, mapping.separator ?? "auto");
  } catch (err) {
    if (err instanceof DelimitedFileError) throw new TransactionFileError(err.message);
    if (err instanceof TimestampFormatError) throw new TransactionFileError(`${path}: ${err.message}`);
    throw err;
  }
  const { frame: raw, separator, gzip } = read;
  const columns = raw.columns;
  const warnings = layoutWarnings(path, read, mapping);
  const missing = mappedColumns(mapping).filter((c) => !columns.includes(c.column));
  if (missing.length) {
    const hint = mapping === KAGGLE_MAPPING ? " Pass a column mapping (--mapping FILE) if this log uses other names." : "";
    throw new TransactionFileError(
      `${path} is not a transaction log for this mapping: missing column(s) ` +
        `${missing.map((c) => `${c.column} (${c.field})`).join(", ")}; found ${columns.map((c) => JSON.stringify(c)).join(", ")} ` +
        `(read as ${describeSeparator(separator)}-separated; --separator to change).${hint}`,
    );
  }
  if (raw.height === 0) throw new TransactionFileError(`${path} has a header but no records`);

  const text = (column: string) => pl.col(column).str.strip();
  const exprs: pl.Expr[] = [
    pl.intRange(1, raw.height + 1).alias("row"),
    text(mapping.customerId).alias("customer_id"),
    parseTimestamp(text(mapping.timestamp), mapping.timestampFormat).alias("ts"),
  ];
  if (mapping.transactionId) exprs.push(text(mapping.transactionId).alias("transaction_id"));
  for (const { field, column } of mappedColumns(mapping)) {
    exprs.push(pl.col(column).alias(`${field}_raw`));
    if ((NUMERIC_FIELDS as readonly string[]).includes(field)) exprs.push(text(column).cast(pl.Float64, false).alias(field));
  }
  // One lazy select: polars parses the columns in parallel.
  const parsed = raw
    .lazy()
    .select(...exprs)
    .withColumns(
      pl
        .when(pl.col("customer_id").eq(pl.lit("")))
        .then(pl.lit(null))
        .otherwise(pl.col("customer_id"))
        .alias("customer_id"),
      pl.col("ts").cast(pl.Datetime("ms")).cast(pl.Int64).cast(pl.Float64).alias("ts_ms"),
    )
    .collectSync();
  const frame = parsed.withColumns(
    firstOccurrence(
      raw,
      parsed
        .select(
          pl
            .struct([pl.col("ts_ms"), pl.col("amount")])
            .isDuplicated()
            .alias("c"),
        )
        .getColumn("c"),
    ),
  );
  return { path, mapping, frame, sourceColumns: columns, separator, gzip, timeOfDay: hasTimeOfDay(frame, mapping.timestampFormat), warnings };
}

/** A duplicated name the mapping uses is an error (which column holds the value is a guess); any other, and
 *  trailing empty fields, are warnings: the log reads correctly, but someone should know. */
function layoutWarnings(path: string, read: DelimitedText, mapping: ColumnMapping): string[] {
  const used = new Map(mappedColumns(mapping).map((c) => [c.column, c.field]));
  const where = (d: { name: string; positions: number[] }) =>
    `column ${JSON.stringify(d.name)} appears ${d.positions.length} times in the header (columns ${d.positions.join(", ")})`;
  const ambiguous = read.duplicateColumns.filter((d) => used.has(d.name));
  if (ambiguous.length)
    throw new TransactionFileError(
      `${path}: ${ambiguous.map((d) => `${where(d)}, and the mapping reads ${used.get(d.name)} from it`).join("; ")}: which one holds the value is ambiguous; rename the others`,
    );
  const warnings = read.duplicateColumns.map((d) => `${where(d)}; the mapping does not use it, so it is ignored`);
  const trailing = read.trailingEmptyFields;
  if (trailing.length)
    warnings.push(
      `${trailing.length} record(s) have more fields than the header, all of them empty (trailing separators), read without them: ` +
        trailing
          .slice(0, 5)
          .map((r) => `row ${r.row} (${r.fields} fields)`)
          .join(", "),
    );
  return warnings.map((w) => `warning: ${w}`);
}

/** first_occurrence: false for an exact copy (all columns) of an earlier record. Identical records share
 *  their timestamp and amount, so only rows where that pair repeats (`candidate`) are compared in full:
 *  hashing every text column of every row was a third of loading. */
function firstOccurrence(raw: pl.DataFrame, candidate: pl.Series): pl.Expr {
  const candidates = raw.withColumns(pl.intRange(1, raw.height + 1).alias("__row"), candidate.alias("__candidate")).filter(pl.col("__candidate"));
  const copies = candidates
    .select(
      pl.col("__row"),
      pl
        .struct(raw.columns.map((c) => pl.col(c)))
        .isFirstDistinct()
        .alias("__first"),
    )
    .filter(pl.col("__first").not())
    .getColumn("__row");
  return pl.col("row").isIn(copies.implode()).not().alias("first_occurrence");
}

function hasTimeOfDay(frame: pl.DataFrame, format: string): boolean {
  if (!formatHasTimeOfDay(format)) return false;
  const offMidnight = frame.select(pl.col("ts_ms").modulo(DAY_MS).neq(0).sum().alias("n")).getColumn("n").get(0);
  return Number(offMidnight ?? 0) > 0;
}
