import assert from "node:assert/strict";
import { test } from "node:test";
import { cleanTransactions } from "../../src/data/clean.js";
import { computeFeatures } from "../../src/data/features.js";
import { generateTransactions, formatKaggleDate } from "../../src/data/generate.js";
import { TransactionFileError, loadTransactions } from "../../src/data/load.js";
import { MappingError, parseMapping } from "../../src/data/schema.js";
import { KAGGLE_HEADER, kaggleRow, tempDir, writeCsv } from "../helpers.js";

const dir = tempDir();

test("loader survives quoted newlines and unpadded US dates", () => {
  const path = writeCsv(dir, "ok.csv", [KAGGLE_HEADER, kaggleRow({ id: 1, date: "1/2/2024 3:04" }), kaggleRow({ id: 2, date: "12/31/2023 23:59" })].join("\n"));
  const { frame } = loadTransactions(path);
  assert.equal(frame.height, 2);
  assert.deepEqual(frame.getColumn("ts_ms").toArray(), [Date.UTC(2024, 0, 2, 3, 4), Date.UTC(2023, 11, 31, 23, 59)]);
});

test("a file that is not a transaction log gets one clear error naming what is missing", () => {
  const path = writeCsv(dir, "other.csv", "name,age\nann,3\n");
  assert.throws(
    () => loadTransactions(path),
    (e: Error) =>
      e instanceof TransactionFileError &&
      /missing column\(s\) CustomerID \(customer_id\), TransactionDate \(timestamp\), TotalAmount \(amount\)/.test(e.message) &&
      /--mapping/.test(e.message),
  );
  assert.throws(() => loadTransactions(writeCsv(dir, "empty.csv", "")), /is empty/);
  assert.throws(() => loadTransactions(writeCsv(dir, "header.csv", KAGGLE_HEADER + "\n")), /header but no records/);
  assert.throws(() => loadTransactions(`${dir}/nope.csv`), /does not exist/);
});

test("cleaning drops nothing silently: each bad row is counted under its reason with row and value", () => {
  const rows = [
    kaggleRow({ id: 1, date: "1/1/2024 10:00" }), // 1 ok
    kaggleRow({ id: 1, date: "1/1/2024 10:00" }), // 2 duplicate of 1
    kaggleRow({ id: 2, date: "13/45/2024 10:00" }), // 3 bad date
    kaggleRow({ id: 3, date: "1/3/2024 10:00", total: "abc" }), // 4 bad amount
    kaggleRow({ id: 4, date: "1/4/2024 10:00", q: 1, p: 10, total: -10 }), // 5 refund
    kaggleRow({ id: 5, date: "1/5/2024 10:00", q: 2, p: 10, total: 35 }), // 6 mismatch
    kaggleRow({ id: "", date: "1/6/2024 10:00" }), // 7 no customer
    kaggleRow({ id: 6, date: "1/7/2024 10:00", d: 150, total: 20 }), // 8 discount out of range
    kaggleRow({ id: 7, date: "1/8/2024 10:00", q: 2, p: 10, d: 10 }), // 9 ok with discount
  ];
  const path = writeCsv(dir, "dirty.csv", [KAGGLE_HEADER, ...rows].join("\n"));
  const { frame, report } = cleanTransactions(loadTransactions(path));
  assert.equal(report.inputRows, 9);
  assert.equal(report.keptRows, 2);
  assert.deepEqual(frame.getColumn("row").toArray().map(Number), [1, 9]);
  const byReason = Object.fromEntries(report.dropped.map((d) => [d.reason, d]));
  assert.deepEqual(Object.keys(byReason).sort(), [
    "amount_mismatch",
    "discount_out_of_range",
    "duplicate",
    "invalid_amount",
    "invalid_customer_id",
    "invalid_timestamp",
    "non_positive_amount",
  ]);
  assert.deepEqual(byReason.invalid_timestamp.examples, [{ row: 3, column: "TransactionDate", value: "13/45/2024 10:00" }]);
  assert.deepEqual(byReason.invalid_amount.examples, [{ row: 4, column: "TotalAmount", value: "abc" }]);
  assert.equal(byReason.duplicate.examples[0].row, 2);
  assert.equal(report.dropped.reduce((s, d) => s + d.count, 0) + report.keptRows, report.inputRows);
});

test("features are well defined for one-purchase customers and the target counts only the horizon", () => {
  const rows = [
    kaggleRow({ id: 1, date: "1/1/2024 0:00", q: 1, p: 10 }),
    kaggleRow({ id: 1, date: "1/11/2024 0:00", q: 1, p: 30 }),
    kaggleRow({ id: 1, date: "2/15/2024 0:00", q: 1, p: 50 }), // in horizon
    kaggleRow({ id: 2, date: "1/21/2024 0:00", q: 1, p: 20 }), // one purchase, never returns
    kaggleRow({ id: 3, date: "6/1/2024 0:00", q: 1, p: 70 }), // after horizon: no calibration row, not a customer
  ];
  const cleaned = cleanTransactions(loadTransactions(writeCsv(dir, "feat.csv", [KAGGLE_HEADER, ...rows].join("\n"))));
  const t = computeFeatures(cleaned.frame, { cutoff: new Date(Date.UTC(2024, 1, 1)), horizonDays: 30, winsorizeIqr: null });
  assert.equal(t.target, "spend_30_days");
  assert.deepEqual(t.featureNames, ["frequency", "monetary_total", "monetary_mean", "recency_days", "tenure_days", "mean_unit_price", "mean_discount_pct"]);
  const recs = t.frame.toRecords() as Record<string, number | string>[];
  assert.equal(recs.length, 2);
  assert.deepEqual(recs[0], {
    customer_id: "1",
    frequency: 2,
    monetary_total: 40,
    monetary_mean: 20,
    recency_days: 21,
    tenure_days: 31,
    mean_unit_price: 20,
    mean_discount_pct: 0,
    repeat_purchase_days: 1,
    spend_30_days: 50,
  });
  assert.deepEqual(recs[1], {
    customer_id: "2",
    frequency: 1,
    monetary_total: 20,
    monetary_mean: 20,
    recency_days: 11,
    tenure_days: 11,
    mean_unit_price: 20,
    mean_discount_pct: 0,
    repeat_purchase_days: 0,
    spend_30_days: 0,
  });
  assert.equal(t.returningCustomers, 1);
  assert.equal(t.window.afterHorizonTransactions, 1, "the June purchase is after the 30-day horizon: counted, in neither window");
});

test("a cutoff before the data is an error, not an empty table", () => {
  const cleaned = cleanTransactions(loadTransactions(writeCsv(dir, "c.csv", [KAGGLE_HEADER, kaggleRow({ id: 1, date: "1/1/2024 0:00" })].join("\n"))));
  assert.throws(() => computeFeatures(cleaned.frame, { cutoff: new Date("2020-01-01") }), /not after the first transaction/);
});

test("a custom column mapping reads another log layout", () => {
  const path = writeCsv(dir, "custom.csv", "cust,when,paid\nx,2024-01-01 10:00:00,5\nx,2024-03-01 10:00:00,7\ny,2024-01-05 09:00:00,3\n");
  const mapping = parseMapping({ customerId: "cust", timestamp: "when", timestampFormat: "%Y-%m-%d %H:%M:%S", amount: "paid" }, "test");
  const cleaned = cleanTransactions(loadTransactions(path, mapping));
  const t = computeFeatures(cleaned.frame, { cutoff: new Date(Date.UTC(2024, 1, 1)), horizonDays: 30 });
  assert.deepEqual(t.featureNames, ["frequency", "monetary_total", "monetary_mean", "recency_days", "tenure_days"]);
  assert.deepEqual(t.frame.getColumn("spend_30_days").toArray(), [7, 0]);
  assert.throws(
    () => parseMapping({ customerId: "c", timestamp: "t", amount: "a" }, "m.json"),
    (e: Error) => e instanceof MappingError && /needs timestampFormat/.test(e.message),
  );
  assert.throws(
    () => parseMapping({ customerId: "c", timestamp: "t", timestampFormat: "%Y", amount: "a", colour: "x" }, "m.json"),
    /unknown mapping keys colour/,
  );
});

test("the generator is seeded, exact in size, in the Kaggle layout, and has repeat buyers", () => {
  const a = generateTransactions({ transactions: 2000, seed: 3 });
  const b = generateTransactions({ transactions: 2000, seed: 3 });
  assert.equal(a.height, 2000);
  assert.ok(a.frameEqual(b));
  assert.ok(!a.frameEqual(generateTransactions({ transactions: 2000, seed: 4 })));
  assert.equal(a.columns[0], "CustomerID");
  const ids = a.getColumn("CustomerID").toArray() as number[];
  const counts = new Map<number, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  const repeaters = [...counts.values()].filter((c) => c > 1).length;
  assert.ok(repeaters > counts.size * 0.2, `only ${repeaters} of ${counts.size} customers repeat`);
  assert.ok([...counts.values()].filter((c) => c === 1).length > counts.size * 0.3, "one-purchase customers should be common");
  assert.equal(formatKaggleDate(Date.UTC(2023, 7, 5, 0, 0)), "8/5/2023 0:00");
});
