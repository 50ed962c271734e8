// Calendar windows, conservation of the target, and cleaning choices that
// must never alter it: winsorizing touches features only, duplicates are
// dropped only where they can be told from repeat orders.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import pl from "nodejs-polars";
import { cleanTransactions } from "../../src/data/clean.js";
import { computeFeatures } from "../../src/data/features.js";
import { loadTransactions } from "../../src/data/load.js";
import { parseMapping } from "../../src/data/schema.js";
import { DAY_MS, parseCutoffDay } from "../../src/data/window.js";
import { prepareData } from "../../src/pipeline.js";
import { tempDir } from "../helpers.js";

const dir = tempDir();
const mapping = (format: string, extra: Record<string, string> = {}) =>
  parseMapping({ customerId: "cust", timestamp: "when", timestampFormat: format, amount: "paid", ...extra }, "test");
const cents = (x: number) => Math.round(x * 100);

/** A seeded log: 60 customers over ~200 days, amounts with cents, the last day's purchases late at night. */
function syntheticRows(withTime: boolean): { cust: string; ms: number; paid: string }[] {
  let state = 12345;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const start = Date.UTC(2023, 8, 1);
  const rows = [];
  for (let i = 0; i < 900; i++) {
    const day = Math.floor(next() * 200);
    const ms = start + day * DAY_MS + (withTime ? Math.floor(next() * 86_399) * 1000 : 0);
    rows.push({ cust: `c${Math.floor(next() * 60)}`, ms, paid: (1 + next() * 500).toFixed(2) });
  }
  const last = start + 200 * DAY_MS + (withTime ? 23 * 3_600_000 + 59 * 60_000 : 0); // the very last moment
  rows.push({ cust: "c1", ms: last, paid: "999.99" }, { cust: "new-in-horizon", ms: last, paid: "12.34" });
  return rows;
}
const fmtTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");
const fmtDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

for (const withTime of [false, true]) {
  test(`conservation (${withTime ? "with times" : "date-only"}): every valid transaction is in one window, and the summed target is the horizon's spend to the cent`, () => {
    const rows = syntheticRows(withTime);
    const path = join(dir, `conservation-${withTime}.txt`);
    writeFileSync(path, ["cust\twhen\tpaid", ...rows.map((r) => `${r.cust}\t${withTime ? fmtTime(r.ms) : fmtDay(r.ms)}\t${r.paid}`)].join("\n"));
    const data = prepareData({ input: path, mapping: mapping(withTime ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d"), features: { winsorizeIqr: 0.5 } });
    const f = data.features;
    // Independently: the last 90 calendar days including the last one.
    const lastDay = Math.floor(Math.max(...rows.map((r) => r.ms)) / DAY_MS) * DAY_MS;
    const cutoff = lastDay + DAY_MS - 90 * DAY_MS;
    assert.equal(f.cutoff.getTime(), cutoff);
    assert.equal(f.horizonEnd.getTime(), lastDay + DAY_MS);
    const inHorizon = rows.filter((r) => r.ms >= cutoff);
    const known = new Set(rows.filter((r) => r.ms < cutoff).map((r) => r.cust));
    assert.equal(f.window.calibrationTransactions + f.window.horizonTransactions, data.cleaned.report.keptRows);
    assert.equal(f.window.afterHorizonTransactions, 0);
    assert.equal(f.window.horizonTransactions, inHorizon.length);
    const horizonCents = inHorizon.reduce((s, r) => s + cents(Number(r.paid)), 0);
    const knownCents = inHorizon.filter((r) => known.has(r.cust)).reduce((s, r) => s + cents(Number(r.paid)), 0);
    assert.equal(cents(f.window.horizonSpend), horizonCents);
    const targets = f.frame.getColumn(f.target).toArray() as number[];
    assert.equal(cents(targets.reduce((a, b) => a + b, 0)), knownCents, "summed target = horizon spend of customers with features");
    assert.equal(cents(f.window.horizonSpendNewCustomers), 1234);
    // Customer by customer, with the last moment's purchase included.
    const ids = f.frame.getColumn("customer_id").toArray() as string[];
    for (const [i, id] of ids.entries())
      assert.equal(
        cents(targets[i]),
        inHorizon.filter((r) => r.cust === id).reduce((s, r) => s + cents(Number(r.paid)), 0),
        id,
      );
    assert.ok(f.winsorizing.customersTouched > 0, "a low fence touches features");
    assert.equal(f.winsorizing.targetCustomersTouched, 0);
  });
}

test("winsorizing and its fence change features, never the target", () => {
  const lines = ["cust,when,paid"];
  for (let c = 0; c < 40; c++) lines.push(`c${c},2024-01-0${1 + (c % 9)},${20 + c}`, `c${c},2024-04-10,${10 + c}`);
  lines.push("whale,2024-01-05,1000000", "whale,2024-04-10,250000"); // a huge calibration order, and a real huge future one
  writeFileSync(join(dir, "whale.csv"), lines.join("\n"));
  const run = (winsorizeIqr: number | null) =>
    prepareData({ input: join(dir, "whale.csv"), mapping: mapping("%Y-%m-%d"), features: { horizonDays: 30, winsorizeIqr } }).features;
  const raw = run(null),
    capped = run(3);
  const target = (t: typeof raw) => t.frame.select("customer_id", t.target).toRecords();
  assert.deepEqual(target(capped), target(raw), "the same target, customer by customer");
  const whale = (t: typeof raw) => t.frame.filter(pl.col("customer_id").eq(pl.lit("whale"))).toRecords()[0] as Record<string, number>;
  assert.equal(whale(raw).monetary_total, 1_000_000);
  assert.ok(whale(capped).monetary_total < 1000, `capped at the fence: ${whale(capped).monetary_total}`);
  assert.equal(whale(capped).spend_30_days, 250_000);
  const total = capped.winsorizing.features.find((x) => x.feature === "monetary_total")!;
  assert.equal(total.customers, 1);
  assert.ok(Math.abs(total.dollarsRemoved - (1_000_000 - total.fence)) < 1e-6);
  assert.equal(capped.winsorizing.customersTouched, 1);
  assert.equal(capped.winsorizing.targetCustomersTouched, 0);
  assert.deepEqual(raw.winsorizing.features, []);
});

test("a cutoff outside the data, or a horizon the data cannot fill, is an error naming it", () => {
  writeFileSync(join(dir, "span.csv"), "cust,when,paid\na,2024-01-01,5\nb,2024-03-01,5\na,2024-05-31,5\n");
  const at =
    (cutoff?: string, horizonDays = 30) =>
    () =>
      prepareData({
        input: join(dir, "span.csv"),
        mapping: mapping("%Y-%m-%d"),
        features: { cutoff: cutoff ? parseCutoffDay(cutoff) : undefined, horizonDays },
      });
  assert.throws(at("2025-01-01"), /cutoff 2025-01-01 is after the last transaction \(2024-05-31\)/);
  assert.throws(at("2023-06-01"), /cutoff 2023-06-01 is not after the first transaction \(2024-01-01\)/);
  assert.throws(
    at("2024-05-15"),
    /cutoff 2024-05-15 \+ 30 days ends 2024-06-14, after the log's last day 2024-05-31.*latest cutoff for this horizon: 2024-05-02/,
  );
  assert.throws(at(undefined, 400), /not after the first transaction .*the log spans 152 days, the horizon 400/);
  assert.equal(at("2024-05-02")().features.cutoff.toISOString(), "2024-05-02T00:00:00.000Z");
  assert.throws(() => parseCutoffDay("2024-02-30"), /--cutoff "2024-02-30" is not a date/);
});

test("duplicates: kept on date-only logs, dropped with times of day or a transaction id, and the policy is reported", () => {
  writeFileSync(join(dir, "dup-days.csv"), "cust,when,paid\na,2024-01-01,5\na,2024-01-01,5\nb,2024-01-02,7\n");
  writeFileSync(join(dir, "dup-times.csv"), "cust,when,paid\na,2024-01-01 10:00,5\na,2024-01-01 10:00,5\nb,2024-01-02 11:00,7\n");
  writeFileSync(join(dir, "dup-ids.csv"), "order,cust,when,paid\n1,a,2024-01-01,5\n1,a,2024-01-01,5\n2,a,2024-01-01,5\n");
  const clean = (file: string, format: string, duplicates?: "keep" | "drop", extra = {}) =>
    cleanTransactions(loadTransactions(join(dir, file), mapping(format, extra)), duplicates ? { duplicates } : {}).report;
  const days = clean("dup-days.csv", "%Y-%m-%d");
  assert.equal(days.keptRows, 3);
  assert.deepEqual([days.duplicates.applied, days.duplicates.found], ["keep", 1]);
  assert.match(days.duplicates.why, /date-only log without a transaction id/);
  assert.equal(clean("dup-days.csv", "%Y-%m-%d", "drop").keptRows, 2);
  const times = clean("dup-times.csv", "%Y-%m-%d %H:%M");
  assert.deepEqual([times.keptRows, times.duplicates.applied, times.duplicates.found], [2, "drop", 1]);
  assert.equal(clean("dup-times.csv", "%Y-%m-%d %H:%M", "keep").keptRows, 3);
  const ids = clean("dup-ids.csv", "%Y-%m-%d", undefined, { transactionId: "order" });
  assert.deepEqual([ids.keptRows, ids.duplicates.applied], [2, "drop"], "order 2 is a real repeat order on the same day");
  assert.match(ids.duplicates.why, /transaction id \(order\)/);
});

test("both frequency conventions: transactions (model input) and repeat purchase days (BG/NBD)", () => {
  writeFileSync(join(dir, "freq.csv"), "cust,when,paid\na,2024-01-01,5\na,2024-01-01,6\na,2024-01-03,7\nb,2024-01-02,1\na,2024-03-01,1\n");
  const t = computeFeatures(cleanTransactions(loadTransactions(join(dir, "freq.csv"), mapping("%Y-%m-%d"))).frame, { horizonDays: 30 });
  const recs = t.frame.select("customer_id", "frequency", "repeat_purchase_days").toRecords();
  assert.deepEqual(recs, [
    { customer_id: "a", frequency: 3, repeat_purchase_days: 1 },
    { customer_id: "b", frequency: 1, repeat_purchase_days: 0 },
  ]);
  assert.ok(t.featureNames.includes("frequency") && !t.featureNames.includes("repeat_purchase_days"));
});
