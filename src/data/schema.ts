// Which source columns hold the fields we need. The Kaggle "Retail Transaction
// Dataset" layout is the default; any other transaction log works through a
// mapping given as a JSON file or CLI flags.
import { readFileSync } from "node:fs";
import { type Separator, parseSeparator } from "./delimited.js";
import { checkTimestampFormat } from "./timestamp.js";

export interface ColumnMapping {
  customerId: string;
  timestamp: string;
  /** chrono/strftime format of the timestamp column, e.g. "%m/%d/%Y %H:%M", "%Y%m%d",
   *  or a keyword: iso8601, epoch (= epoch_s), epoch_ms (see timestamp.ts). */
  timestampFormat: string;
  amount: string;
  quantity?: string;
  unitPrice?: string;
  /** Discount in percent (0–100). */
  discountPct?: string;
  /** Transaction (order) id: lets exact duplicates be told from real repeat orders. */
  transactionId?: string;
  /** Field separator; "auto" (the default) detects comma, semicolon, tab or whitespace runs. */
  separator?: Separator | "auto";
}

export const KAGGLE_MAPPING: ColumnMapping = {
  customerId: "CustomerID",
  timestamp: "TransactionDate",
  timestampFormat: "%m/%d/%Y %H:%M",
  amount: "TotalAmount",
  quantity: "Quantity",
  unitPrice: "Price",
  discountPct: "DiscountApplied(%)",
};

/** The columns of the Kaggle file, in its order (the generator writes these). */
export const KAGGLE_COLUMNS = [
  "CustomerID",
  "ProductID",
  "Quantity",
  "Price",
  "TransactionDate",
  "PaymentMethod",
  "StoreLocation",
  "ProductCategory",
  "DiscountApplied(%)",
  "TotalAmount",
] as const;

const REQUIRED = ["customerId", "timestamp", "timestampFormat", "amount"] as const;
const OPTIONAL = ["quantity", "unitPrice", "discountPct", "transactionId", "separator"] as const;

export class MappingError extends Error {
  override name = "MappingError";
}

/** Check a mapping object (from JSON or flags); unknown keys are errors, not ignored. */
export function parseMapping(value: unknown, source: string): ColumnMapping {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new MappingError(`${source}: a column mapping must be a JSON object`);
  const record = value as Record<string, unknown>;
  const known = new Set<string>([...REQUIRED, ...OPTIONAL]);
  const unknown = Object.keys(record).filter((k) => !known.has(k));
  if (unknown.length) throw new MappingError(`${source}: unknown mapping keys ${unknown.join(", ")} (known: ${[...known].join(", ")})`);
  const missing = REQUIRED.filter((k) => typeof record[k] !== "string" || record[k] === "");
  if (missing.length) throw new MappingError(`${source}: mapping needs ${missing.join(", ")}`);
  for (const k of OPTIONAL)
    if (record[k] !== undefined && typeof record[k] !== "string") throw new MappingError(`${source}: mapping key ${k} must be a string`);
  const mapping = { ...record } as unknown as ColumnMapping;
  try {
    checkTimestampFormat(mapping.timestampFormat);
  } catch (err) {
    throw new MappingError(`${source}: ${(err as Error).message}`);
  }
  if (mapping.separator !== undefined) {
    try {
      mapping.separator = parseSeparator(mapping.separator, `${source}: separator`);
    } catch (err) {
      throw new MappingError((err as Error).message);
    }
  }
  return mapping;
}

export function readMappingFile(path: string): ColumnMapping {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new MappingError(`cannot read column mapping ${path}: ${(err as Error).message}`);
  }
  try {
    return parseMapping(JSON.parse(text), path);
  } catch (err) {
    if (err instanceof MappingError) throw err;
    throw new MappingError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Source columns the mapping uses, with the canonical field each feeds. */
export function mappedColumns(m: ColumnMapping): { field: string; column: string; required: boolean }[] {
  const out = [
    { field: "customer_id", column: m.customerId, required: true },
    { field: "timestamp", column: m.timestamp, required: true },
    { field: "amount", column: m.amount, required: true },
  ];
  if (m.quantity) out.push({ field: "quantity", column: m.quantity, required: false });
  if (m.unitPrice) out.push({ field: "unit_price", column: m.unitPrice, required: false });
  if (m.discountPct) out.push({ field: "discount_pct", column: m.discountPct, required: false });
  if (m.transactionId) out.push({ field: "transaction_id", column: m.transactionId, required: false });
  return out;
}
