// Small fixtures written to a temporary directory per test file.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../src/paths.js";

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "zkml-test-"));
}

/** The `-C target-cpu` guests/build.sh builds a zkVM's host for by default:
 *  HOST_CPU in guests/<id>/build.env; null (the portable baseline) without one. */
export function defaultHostCpu(id: string): string | null {
  const env = join(PROJECT_ROOT, "guests", id, "build.env");
  const cpu = existsSync(env) ? /^HOST_CPU=(\S+)$/m.exec(readFileSync(env, "utf8"))?.[1] : undefined;
  return cpu === undefined || cpu === "portable" ? null : cpu;
}

export function writeCsv(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

export const KAGGLE_HEADER = "CustomerID,ProductID,Quantity,Price,TransactionDate,PaymentMethod,StoreLocation,ProductCategory,DiscountApplied(%),TotalAmount";

/** A Kaggle-layout row; total defaults to quantity·price·(1 − discount/100). */
export function kaggleRow(o: {
  id: number | string;
  q?: number | string;
  p?: number | string;
  date: string;
  d?: number | string;
  total?: number | string;
}): string {
  const q = o.q ?? 2,
    p = o.p ?? 10,
    d = o.d ?? 0;
  const total = o.total ?? Number(q) * Number(p) * (1 - Number(d) / 100);
  return `${o.id},A,${q},${p},${o.date},Cash,"1 Main St\nTown, ST 12345",Books,${d},${total}`;
}
