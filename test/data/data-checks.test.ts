// Inputs that used to pass silently: dates far from the rest of the log,
// duplicate column names, rows with extra fields, customers whose every row
// is dropped, and timestamp formats with an unknown directive. Each is now an
// error naming file, row, column and value, or a warning where the data is
// legitimate.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { CleaningError, cleanTransactions, formatCleaningReport } from "../../src/data/clean.js";
import { TransactionFileError, loadTransactions } from "../../src/data/load.js";
import { MappingError, parseMapping } from "../../src/data/schema.js";
import { DAY_MS } from "../../src/data/window.js";
import { prepareData } from "../../src/pipeline.js";
import { Rng } from "../../src/util/rng.js";
import { tempDir } from "../helpers.js";

const dir = tempDir();
const mapping = (o: Record<string, string> = {}) =>
  parseMapping({ customerId: "cust", timestamp: "when", timestampFormat: "%Y-%m-%d", amount: "paid", ...o }, "test");
const write = (name: string, lines: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
};
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** 600 orders of 40 customers spread over 1997-01-01 … 1998-06-30, seeded. */
function bulkRows(): string[] {
  const rng = new Rng(7);
  const next = () => rng.uniform();
  const start = Date.UTC(1997, 0, 1);
  const rows = [`c0,${day(start)},10.00`, `c1,1998-06-30,12.00`];
  for (let i = 0; i < 598; i++) rows.push(`c${Math.floor(next() * 40)},${day(start + Math.floor(next() * 545) * DAY_MS)},${(5 + next() * 100).toFixed(2)}`);
  return rows;
}

test("rows dated far after the bulk of the log are dropped with their row, column and value; the windows come from the bulk", () => {
  const bulk = bulkRows();
  const future = ["c2,2099-01-01,10", "c3,2099-01-02,10", "c4,2099-01-03,10", "c5,2099-01-04,10", "c6,2099-01-05,10"];
  const path = write("future.csv", ["cust,when,paid", ...bulk, ...future]);
  const data = prepareData({ input: path, mapping: mapping() });
  const late = data.cleaned.report.dropped.find((d) => d.reason === "isolated_late_date");
  assert.ok(late, JSON.stringify(data.cleaned.report.dropped));
  assert.equal(late.count, 5);
  assert.deepEqual(late.examples[0], { row: bulk.length + 1, column: "when", value: "2099-01-01" });
  assert.match(late.rule, /after 1998-06-30.*more than 365 days/);
  assert.equal(data.cleaned.report.keptRows, bulk.length);
  // The horizon is the bulk's last 90 days, not 2098–2099.
  assert.equal(data.features.window.lastTransaction.toISOString().slice(0, 10), "1998-06-30");
  assert.equal(data.features.cutoff.toISOString().slice(0, 10), "1998-04-02");
  assert.deepEqual(data.cleaned.report.dateBulk, { firstDay: "1997-01-01", lastDay: "1998-06-30", maxGapDays: 365, isolatedRows: 5 });
  assert.match(formatCleaningReport(data.cleaned.report), /isolated_late_date\s+5 .*\n.*row 601 when="2099-01-01"/);
});

test("rows dated far before the bulk are dropped too, and the gap is configurable", () => {
  const bulk = bulkRows();
  const path = write("past.csv", ["cust,when,paid", "c9,1900-01-01,10", ...bulk]);
  const report = cleanTransactions(loadTransactions(path, mapping())).report;
  const early = report.dropped.find((d) => d.reason === "isolated_early_date");
  assert.deepEqual(early?.examples, [{ row: 1, column: "when", value: "1900-01-01" }]);
  assert.match(early!.rule, /before 1997-01-01/);
  // A gap wider than the one that separates them keeps every row.
  const wide = cleanTransactions(loadTransactions(path, mapping()), { maxDateGapDays: 40_000 }).report;
  assert.equal(wide.keptRows, bulk.length + 1);
  assert.equal(wide.dropped.length, 0);
});

test("a log split by a long gap with many rows on both sides is an error naming the stretches, not a silent drop", () => {
  const bulk = bulkRows();
  const moved = bulk.map((r, i) => (i % 5 === 0 ? r.replace(/,199[78]-/, ",2003-") : r)); // a fifth of the rows years later
  const path = write("two-parts.csv", ["cust,when,paid", ...moved]);
  assert.throws(
    () => cleanTransactions(loadTransactions(path, mapping())),
    (e: Error) =>
      e instanceof CleaningError &&
      /two-parts\.csv: the valid rows' dates fall into 2 stretches separated by more than 365 days/.test(e.message) &&
      /too many to drop as stray dates/.test(e.message) &&
      /--max-date-gap-days \d+ to keep the log whole/.test(e.message),
  );
});

test("a customer whose only orders were $0 is named in a warning, not just counted", () => {
  const path = write("zero.csv", ["cust,when,paid", "a,2024-01-01,5", "free,2024-01-02,0", "free,2024-01-03,0.00", "a,2024-02-01,7", "b,2024-02-02,0"]);
  const { report } = cleanTransactions(loadTransactions(path, mapping()));
  assert.equal(report.customersDropped.count, 2);
  assert.deepEqual(report.customersDropped.examples, [
    { customerId: "b", rows: 1, reasons: ["non_positive_amount"] },
    { customerId: "free", rows: 2, reasons: ["non_positive_amount"] },
  ]);
  assert.match(
    formatCleaningReport(report),
    /warning: 2 customer\(s\) had every row dropped .*"b" \(1 row: non_positive_amount\); "free" \(2 rows: non_positive_amount\)/,
  );
});

test("duplicate column names: an error when the mapping reads one, a warning otherwise", () => {
  const used = write("dup-used.csv", ["cust,when,paid,paid", "a,2024-01-01,5,6"]);
  assert.throws(
    () => loadTransactions(used, mapping()),
    (e: Error) =>
      e instanceof TransactionFileError && /dup-used\.csv: column "paid" appears 2 times in the header \(columns 3, 4\).*reads amount/.test(e.message),
  );
  const unused = write("dup-unused.csv", ["cust,note,when,paid,note", "a,x,2024-01-01,5,y"]);
  const { report } = cleanTransactions(loadTransactions(unused, mapping()));
  assert.deepEqual(report.warnings, ['warning: column "note" appears 2 times in the header (columns 2, 5); the mapping does not use it, so it is ignored']);
  assert.match(formatCleaningReport(report), /warning: column "note" appears 2 times/);
});

test("a row with more fields than the header is an error naming its row and the extra text; trailing empty fields are a warning", () => {
  for (const name of ["extra.csv", "extra.txt"]) {
    const path = write(name, ["cust,when,paid", "a,2024-01-01,5", "b,2024-01-02,7,99", '"c,d",2024-01-03,8']);
    assert.throws(
      () => loadTransactions(path, mapping()),
      (e: Error) =>
        e instanceof TransactionFileError &&
        new RegExp(`${name.replace(".", "\\.")}: 1 record\\(s\\) have more fields than the header's 3`).test(e.message) &&
        /row 2 has 4 fields, beyond the header "99"/.test(e.message),
      name,
    );
  }
  const trailing = write("trailing.csv", ["cust,when,paid", "a,2024-01-01,5,", "b,2024-01-02,7,"]);
  const loaded = loadTransactions(trailing, mapping());
  assert.deepEqual(loaded.frame.getColumn("amount").toArray(), [5, 7]);
  assert.deepEqual(loaded.warnings, [
    "warning: 2 record(s) have more fields than the header, all of them empty (trailing separators), read without them: row 1 (4 fields), row 2 (4 fields)",
  ]);
});

test("a timestamp format with an unknown directive, or none, is refused naming it", () => {
  assert.throws(
    () => mapping({ timestampFormat: "%Y-%m-%Q" }),
    (e: Error) => e instanceof MappingError && /test: timestamp format "%Y-%m-%Q": unknown directive "%Q" at position 7/.test(e.message),
  );
  assert.throws(() => mapping({ timestampFormat: "YYYY-MM-DD" }), /timestamp format "YYYY-MM-DD" has no strftime directive/);
  const path = write("ts.csv", ["cust,when,paid", "a,2024-01-01,5"]);
  assert.throws(
    () => loadTransactions(path, { customerId: "cust", timestamp: "when", timestampFormat: "%d.%m.%Y %H:%M %q", amount: "paid" }),
    /ts\.csv: timestamp format .*unknown directive "%q"/,
  );
  for (const ok of ["%Y-%m-%d %H:%M:%S%.3f", "%-d/%-m/%Y %k:%M", "%FT%T%:z", "%s", "%Y%m%d", "%e %b %Y %I:%M %p", "iso8601"])
    assert.doesNotThrow(() => mapping({ timestampFormat: ok }), ok);
});
