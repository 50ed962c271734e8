// Transaction logs in the shapes people really export, written by the tests
// themselves: the generator's log re-cut as `id date qty amount`, separated
// by runs of spaces, dates only.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeGeneratedCsv } from "../../src/data/generate.js";
import { loadTransactions } from "../../src/data/load.js";

/** The generated Kaggle log of `transactions` rows as a whitespace-separated, date-only (%Y%m%d) log; returns its path. */
export function writeWhitespaceDateLog(dir: string, name: string, o: { transactions: number; seed: number }): string {
  const csv = join(dir, `${name}.source.csv`);
  writeGeneratedCsv(csv, o);
  const f = loadTransactions(csv).frame;
  const ids = f.getColumn("customer_id").toArray() as string[];
  const ts = f.getColumn("ts_ms").toArray() as number[];
  const qty = f.getColumn("quantity_raw").toArray() as string[];
  const amount = f.getColumn("amount").toArray() as number[];
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll("-", "");
  const lines = ["customer   date      qty   amount"];
  for (let i = 0; i < ids.length; i++)
    if (Number.isFinite(ts[i]) && Number.isFinite(amount[i])) lines.push(`${ids[i].padEnd(8)}  ${day(ts[i])}  ${qty[i].padStart(3)}  ${amount[i].toFixed(2)}`);
  const path = join(dir, name);
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

export const WHITESPACE_MAPPING = { customerId: "customer", timestamp: "date", timestampFormat: "%Y%m%d", amount: "amount", quantity: "qty" };
