// Read a transaction log into typed columns. Every value that fails to parse
// becomes null here and is counted, with its row, by cleanTransactions: no row
// disappears without a reason.
import { statSync } from "node:fs";
import pl from "nodejs-polars";
import { type ColumnMapping, KAGGLE_MAPPING, mappedColumns } from "./schema.js";

export class TransactionFileError extends Error {
  override name = "TransactionFileError";
}

/** A loaded log: one row per source record, canonical columns plus raw text for reports. */
export interface LoadedTransactions {
  path: string;
  mapping: ColumnMapping;
  /** Columns: row (1-based record number), customer_id, ts, ts_ms, amount, [quantity, unit_price, discount_pct],
   *  first_occurrence (false for an exact duplicate of an earlier record), and <field>_raw text. */
  frame: pl.DataFrame;
  sourceColumns: string[];
}

export const NUMERIC_FIELDS = ["amount", "quantity", "unit_price", "discount_pct"] as const;

export function loadTransactions(path: string, mapping: ColumnMapping = KAGGLE_MAPPING): LoadedTransactions {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new TransactionFileError(`transaction file ${path} does not exist or cannot be read`);
  }
  if (size === 0) throw new TransactionFileError(`transaction file ${path} is empty`);

  let raw: pl.DataFrame;
  try {
    // All columns as text: parsing is ours, so bad values are reported, not guessed.
    raw = pl.readCSV(path, { inferSchemaLength: 0, hasHeader: true });
  } catch (err) {
    throw new TransactionFileError(`${path} is not a readable CSV file: ${(err as Error).message.split("\n")[0]}`);
  }
  const columns = raw.columns;
  const missing = mappedColumns(mapping).filter((c) => !columns.includes(c.column));
  if (missing.length) {
    const hint = mapping === KAGGLE_MAPPING ? " Pass a column mapping (--mapping FILE) if this log uses other names." : "";
    throw new TransactionFileError(
      `${path} is not a transaction log for this mapping: missing column(s) ` +
        `${missing.map((c) => `${c.column} (${c.field})`).join(", ")}; found ${columns.join(", ")}.${hint}`,
    );
  }
  if (raw.height === 0) throw new TransactionFileError(`${path} has a header but no records`);

  const text = (column: string) => pl.col(column).str.strip();
  const exprs: pl.Expr[] = [
    pl.intRange(1, raw.height + 1).alias("row"),
    text(mapping.customerId).alias("customer_id"),
    text(mapping.timestamp).str.strptime(pl.Datetime("ms"), mapping.timestampFormat).alias("ts"),
    pl.struct(columns.map((c) => pl.col(c))).isFirstDistinct().alias("first_occurrence"),
  ];
  for (const { field, column } of mappedColumns(mapping)) {
    exprs.push(pl.col(column).alias(`${field}_raw`));
    if ((NUMERIC_FIELDS as readonly string[]).includes(field)) exprs.push(text(column).cast(pl.Float64, false).alias(field));
  }
  const frame = raw
    .select(...exprs)
    .withColumns(
      pl.when(pl.col("customer_id").eq(pl.lit(""))).then(pl.lit(null)).otherwise(pl.col("customer_id")).alias("customer_id"),
      pl.col("ts").cast(pl.Datetime("ms")).cast(pl.Int64).cast(pl.Float64).alias("ts_ms"),
    );
  return { path, mapping, frame, sourceColumns: columns };
}
