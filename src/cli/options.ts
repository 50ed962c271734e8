// Options shared by several subcommands, parsed once.
import { Option } from "commander";
import { number } from "./parse.js";
import { type ColumnMapping, readMappingFile, parseMapping } from "../data/schema.js";
import type { DataOptions } from "../pipeline.js";

export const dataOptions = [
  new Option("-i, --input <csv>", "transaction CSV (default: generated synthetic data)"),
  new Option("--mapping <json>", "column mapping file for logs not in the Kaggle layout"),
  new Option("--customer-col <name>", "column mapping: customer id column"),
  new Option("--timestamp-col <name>", "column mapping: timestamp column"),
  new Option("--timestamp-format <fmt>", "column mapping: timestamp format, e.g. %Y-%m-%d %H:%M:%S"),
  new Option("--amount-col <name>", "column mapping: amount column"),
  new Option("--quantity-col <name>", "column mapping: quantity column"),
  new Option("--price-col <name>", "column mapping: unit price column"),
  new Option("--discount-col <name>", "column mapping: discount percent column"),
  new Option("--cutoff <date>", "feature cutoff date, ISO (default: horizon days before the last transaction)"),
  new Option("--horizon <days>", "target horizon in days").default(90).argParser(number(0)),
  new Option("--no-outliers", "keep amount outliers (default: drop above Q3 + 3·IQR)"),
];

export interface RawDataFlags {
  input?: string;
  mapping?: string;
  customerCol?: string;
  timestampCol?: string;
  timestampFormat?: string;
  amountCol?: string;
  quantityCol?: string;
  priceCol?: string;
  discountCol?: string;
  cutoff?: string;
  horizon: number;
  outliers: boolean;
}

function mappingFromFlags(f: RawDataFlags): ColumnMapping | undefined {
  const flags = {
    customerId: f.customerCol, timestamp: f.timestampCol, timestampFormat: f.timestampFormat, amount: f.amountCol,
    quantity: f.quantityCol, unitPrice: f.priceCol, discountPct: f.discountCol,
  };
  const given = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  if (Object.keys(given).length === 0) return f.mapping ? readMappingFile(f.mapping) : undefined;
  const base = f.mapping ? readMappingFile(f.mapping) : {};
  return parseMapping({ ...base, ...given }, "column mapping flags");
}

export function toDataOptions(f: RawDataFlags): DataOptions {
  let cutoff: Date | undefined;
  if (f.cutoff !== undefined) {
    cutoff = new Date(f.cutoff);
    if (Number.isNaN(cutoff.getTime())) throw new Error(`--cutoff ${JSON.stringify(f.cutoff)} is not a date (use YYYY-MM-DD)`);
  }
  if (!(f.horizon > 0)) throw new Error(`--horizon must be a positive number of days, got ${f.horizon}`);
  return {
    input: f.input, mapping: mappingFromFlags(f), cleaning: f.outliers ? {} : { outlierIqrMultiplier: null },
    features: { cutoff, horizonDays: f.horizon },
  };
}
