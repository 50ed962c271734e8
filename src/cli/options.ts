// Options shared by several subcommands, parsed once.
import { InvalidArgumentError, Option } from "commander";
import { choice, integer, number } from "./parse.js";
import { DEFAULT_CLEANING, DUPLICATE_POLICIES, type DuplicatePolicy } from "../data/clean.js";
import { parseSeparator } from "../data/delimited.js";
import { type ColumnMapping, KAGGLE_MAPPING, readMappingFile, parseMapping } from "../data/schema.js";
import { parseCutoffDay } from "../data/window.js";
import type { DataOptions } from "../pipeline.js";

const separator = (value: string) => {
  try {
    return parseSeparator(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
};

export const dataOptions = [
  new Option("-i, --input <file>", "transaction log: any delimited text, .csv/.txt/.dat or none, gzip or not (default: generated synthetic data)"),
  new Option(
    "--separator <sep>",
    "field separator: auto (comma, semicolon, tab or whitespace runs, from the header), comma, semicolon, tab, pipe, whitespace, or one character",
  ).argParser(separator),
  new Option("--mapping <json>", "column mapping file for logs not in the Kaggle layout"),
  new Option("--customer-col <name>", "column mapping: customer id column"),
  new Option("--timestamp-col <name>", "column mapping: timestamp column"),
  new Option(
    "--timestamp-format <fmt>",
    "column mapping: timestamp format: strftime (%Y-%m-%d %H:%M:%S, %Y%m%d, %d/%m/%Y …), iso8601, epoch (seconds) or epoch_ms",
  ),
  new Option("--amount-col <name>", "column mapping: amount column"),
  new Option("--quantity-col <name>", "column mapping: quantity column"),
  new Option("--price-col <name>", "column mapping: unit price column"),
  new Option("--discount-col <name>", "column mapping: discount percent column"),
  new Option("--transaction-id-col <name>", "column mapping: transaction (order) id column; exact duplicates are then dropped"),
  new Option("--cutoff <date>", "cutoff day YYYY-MM-DD, UTC midnight (default: the start of the log's last horizon-days calendar days)"),
  new Option("--horizon-days <n>", "target horizon in whole days, the log's last day included by default").default(90).argParser(integer(1)),
  new Option("--horizon <days>", "alias of --horizon-days").argParser(number(0)).hideHelp(),
  new Option("--duplicates <policy>", "exact duplicate records: auto (drop with a transaction id or times of day, keep on date-only logs), drop, keep")
    .default("auto")
    .argParser(choice(DUPLICATE_POLICIES)),
  new Option(
    "--max-date-gap-days <n>",
    "more days than this between consecutive transaction days splits the log; rows outside the stretch holding most of them are dropped as isolated dates (an error if they are over 1%)",
  )
    .default(DEFAULT_CLEANING.maxDateGapDays)
    .argParser(integer(1)),
  new Option("--winsorize-iqr <k>", "cap monetary features (never the target) at exp(Q3 + k·IQR) of log spend over calibration customers")
    .default(3)
    .argParser(number(0)),
  new Option("--no-winsorize", "keep monetary features raw"),
];

export interface RawDataFlags {
  input?: string;
  separator?: string;
  mapping?: string;
  customerCol?: string;
  timestampCol?: string;
  timestampFormat?: string;
  amountCol?: string;
  quantityCol?: string;
  priceCol?: string;
  discountCol?: string;
  transactionIdCol?: string;
  cutoff?: string;
  horizonDays: number;
  horizon?: number;
  duplicates: DuplicatePolicy;
  maxDateGapDays?: number;
  winsorizeIqr: number;
  winsorize: boolean;
}

function mappingFromFlags(f: RawDataFlags): ColumnMapping | undefined {
  const flags = {
    customerId: f.customerCol,
    timestamp: f.timestampCol,
    timestampFormat: f.timestampFormat,
    amount: f.amountCol,
    quantity: f.quantityCol,
    unitPrice: f.priceCol,
    discountPct: f.discountCol,
    transactionId: f.transactionIdCol,
  };
  const given = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  const file = f.mapping ? readMappingFile(f.mapping) : undefined;
  const sep = f.separator !== undefined ? { separator: f.separator } : {};
  if (Object.keys(given).length === 0) return file || f.separator !== undefined ? { ...(file ?? KAGGLE_MAPPING), ...sep } : undefined;
  // Without a file, flags refine the Kaggle layout unless they name another log's own columns.
  const ownColumns = f.customerCol !== undefined || f.timestampCol !== undefined || f.amountCol !== undefined;
  return parseMapping({ ...(file ?? (ownColumns ? {} : KAGGLE_MAPPING)), ...given, ...sep }, "column mapping flags");
}

export function toDataOptions(f: RawDataFlags): DataOptions {
  const cutoff = f.cutoff !== undefined ? parseCutoffDay(f.cutoff) : undefined;
  const horizonDays = f.horizon ?? f.horizonDays;
  if (!Number.isInteger(horizonDays) || horizonDays < 1) throw new Error(`--horizon-days must be a whole number of days ≥ 1, got ${horizonDays}`);
  return {
    input: f.input,
    mapping: mappingFromFlags(f),
    cleaning: { duplicates: f.duplicates, ...(f.maxDateGapDays !== undefined ? { maxDateGapDays: f.maxDateGapDays } : {}) },
    features: { cutoff, horizonDays, winsorizeIqr: f.winsorize ? f.winsorizeIqr : null },
  };
}
