// The workbench's main path, shared by the CLI and the notebooks:
// transactions → cleaning → features → models.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import pl from "nodejs-polars";
import { type CleanedTransactions, type CleaningOptions, cleanTransactions, formatCleaningReport } from "./data/clean.js";
import { type FeatureOptions, type FeatureTable, computeFeatures } from "./data/features.js";
import { writeGeneratedCsv } from "./data/generate.js";
import { loadTransactions } from "./data/load.js";
import { type ColumnMapping, KAGGLE_MAPPING } from "./data/schema.js";
import { formatDataSummary } from "./data/summary.js";
import { NonFiniteError } from "./model/finite.js";
import { type TrainedModels, type TrainingOptions, trainModels } from "./model/train.js";
import { GENERATED_DIR } from "./paths.js";
import { writeAtomically } from "./util/fs.js";

export const DEFAULT_DATA = { transactions: 100_000, seed: 42 };

export function generatedDataPath(transactions: number, seed: number, dir = GENERATED_DIR): string {
  return join(dir, `synthetic-retail-${transactions}-seed${seed}.csv`);
}

/** The embedded default data: generated once (seeded), then reused. */
export function ensureGeneratedData(transactions = DEFAULT_DATA.transactions, seed = DEFAULT_DATA.seed, dir = GENERATED_DIR): string {
  const path = generatedDataPath(transactions, seed, dir);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    process.stderr.write(`generating the default data: ${transactions} synthetic transactions (seed ${seed}) → ${path}\n`);
    writeAtomically(path, (partial) => writeGeneratedCsv(partial, { transactions, seed })); // never half a file under the real name
  }
  return path;
}

export interface DataOptions {
  /** A transaction log (any delimited text, optionally gzip); the generated default data when absent. */
  input?: string;
  mapping?: ColumnMapping;
  cleaning?: Partial<CleaningOptions>;
  features?: Partial<FeatureOptions>;
}

export interface PreparedData {
  input: string;
  cleaned: CleanedTransactions;
  features: FeatureTable;
}

export class NoValidTransactionsError extends Error {
  override name = "NoValidTransactionsError";
}

export function prepareData(o: DataOptions = {}): PreparedData {
  const input = o.input ?? ensureGeneratedData();
  const cleaned = cleanTransactions(loadTransactions(input, o.mapping ?? KAGGLE_MAPPING), o.cleaning);
  if (cleaned.report.keptRows === 0)
    throw new NoValidTransactionsError(`no valid transactions in ${input}: every record was dropped\n${formatCleaningReport(cleaned.report)}`);
  return { input, cleaned, features: computeFeatures(cleaned.frame, o.features) };
}

/** The cleaning, window, winsorizing and feature summary every data-using command prints. */
export function dataSummary(data: PreparedData): string {
  return formatDataSummary(data.cleaned.report, data.features);
}

export function runTraining(o: DataOptions & { training?: Partial<TrainingOptions> } = {}): PreparedData & { trained: TrainedModels } {
  const data = prepareData(o);
  try {
    return { ...data, trained: trainModels(data.features, o.training) };
  } catch (err) {
    // Training knows the customer; the log knows the row: name the order to look at.
    if (err instanceof NonFiniteError && err.customerId !== undefined) {
      const row = largestOrder(data.cleaned.frame, err.customerId);
      if (row) throw new NonFiniteError(`${err.message}: its largest order is row ${row.row} of ${data.input} (amount ${row.amount})`, err.customerId);
    }
    throw err;
  }
}

/** A customer's order of largest amount among the cleaned rows: its 1-based record number and amount. */
function largestOrder(frame: pl.DataFrame, customerId: string): { row: number; amount: number } | null {
  const rows = frame
    .filter(pl.col("customer_id").eq(pl.lit(customerId)))
    .sort("amount", true)
    .head(1)
    .toRecords();
  return rows.length ? { row: Number(rows[0].row), amount: Number(rows[0].amount) } : null;
}
