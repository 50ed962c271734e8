// Any delimited log loads, whatever its name: separators (given or detected),
// gzip by magic bytes, BOM and CRLF, every timestamp format, non-finite values.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { cleanTransactions } from "../../src/data/clean.js";
import { detectSeparator, parseSeparator } from "../../src/data/delimited.js";
import { loadTransactions } from "../../src/data/load.js";
import { KAGGLE_MAPPING, parseMapping } from "../../src/data/schema.js";
import { NoValidTransactionsError, prepareData } from "../../src/pipeline.js";
import { tempDir } from "../helpers.js";

const dir = tempDir();
const write = (name: string, body: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
};
const mapping = (o: Record<string, string> = {}) =>
  parseMapping({ customerId: "cust", timestamp: "when", timestampFormat: "%Y-%m-%d", amount: "paid", ...o }, "test");
const ROWS = [
  ["c1", "2024-01-05", "10.50"],
  ["c2", "2024-02-01", "3"],
  ["c1", "2024-03-31", "7.25"],
];
const table = (sep: string, eol = "\n") => [["cust", "when", "paid"], ...ROWS].map((r) => r.join(sep)).join(eol) + eol;
const amounts = (path: string, m = mapping()) => cleanTransactions(loadTransactions(path, m)).frame.getColumn("amount").toArray();

test("each separator is detected from the header, under any file name", () => {
  const cases: [string, string, string][] = [
    ["comma.csv", ",", "comma"],
    ["semicolon.txt", ";", "semicolon"],
    ["tab.dat", "\t", "tab"],
    ["spaces", "   ", "whitespace"],
    ["mixed-blanks.log", " \t ", "whitespace"],
  ];
  for (const [name, sep, described] of cases) {
    const path = write(name, table(sep));
    const loaded = loadTransactions(path, mapping());
    assert.equal(loaded.frame.height, 3, name);
    assert.deepEqual(amounts(path), [10.5, 3, 7.25], name);
    assert.equal(cleanTransactions(loaded).report.separator, described, name);
  }
  assert.equal(detectSeparator('a;"b,c";d'), ";", "separators inside quotes do not count");
});

test("an explicit separator (flag or mapping key) overrides detection; a bad one is refused", () => {
  const path = write("pipes.txt", table("|"));
  assert.deepEqual(amounts(path, mapping({ separator: "pipe" })), [10.5, 3, 7.25]);
  assert.deepEqual(amounts(path, mapping({ separator: "|" })), [10.5, 3, 7.25]);
  assert.throws(() => loadTransactions(path, mapping({ separator: "comma" })), /missing column\(s\) cust.*read as comma-separated; --separator to change/);
  assert.throws(() => parseSeparator("::"), /"::" is not a separator/);
  assert.throws(() => mapping({ separator: "::" }), /test: separator "::" is not a separator/);
});

test("whitespace-separated rows with leading, trailing and ragged blanks", () => {
  const path = write("ragged.txt", "  cust  when        paid  \n c1 2024-01-05   10.50\t\n\tZoë\t2024-02-01 3\r\n\n");
  assert.deepEqual(amounts(path), [10.5, 3]);
  assert.deepEqual(loadTransactions(path, mapping()).frame.getColumn("customer_id").toArray(), ["c1", "Zoë"], "multi-byte UTF-8 survives the pass");
});

test("gzip is recognised by its magic bytes, whatever the name; BOM and CRLF are handled", () => {
  for (const name of ["log.csv.gz", "log.csv", "log"]) assert.deepEqual(amounts(write(`gz-${name}`, gzipSync(table(",")))), [10.5, 3, 7.25], name);
  const bom = write("bom-crlf.csv", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(table(",", "\r\n"))]));
  const loaded = loadTransactions(bom, mapping());
  assert.deepEqual(loaded.sourceColumns, ["cust", "when", "paid"], "no BOM in the first column's name, no \\r in the last");
  assert.deepEqual(amounts(bom), [10.5, 3, 7.25]);
  assert.deepEqual(amounts(write("ws-crlf.txt", table(" ", "\r\n"))), [10.5, 3, 7.25]);
  assert.throws(() => loadTransactions(write("bad.gz", Buffer.from([0x1f, 0x8b, 1, 2, 3])), mapping()), /starts like gzip but does not decompress/);
});

test("a path is read as a file, never as CSV text, whatever its name", () => {
  assert.throws(() => loadTransactions(join(dir, "no-such-log.txt"), mapping()), /no-such-log\.txt does not exist/);
  for (const name of ["UPPER.CSV", ".csv", "log.tsv", "log.csv.txt", "data.Csv"]) assert.deepEqual(amounts(write(name, table(","))), [10.5, 3, 7.25], name);
});

test("timestamp formats: date-only, compact, day- and month-first, with and without seconds, ISO 8601 with a zone, epoch", () => {
  const cases: [string, string, number][] = [
    ["%Y%m%d", "20240131", Date.UTC(2024, 0, 31)],
    ["%Y-%m-%d", "2024-01-31", Date.UTC(2024, 0, 31)],
    ["%d/%m/%Y", "31/01/2024", Date.UTC(2024, 0, 31)],
    ["%m/%d/%Y", "1/31/2024", Date.UTC(2024, 0, 31)],
    ["%Y-%m-%d %H:%M", "2024-01-31 13:45", Date.UTC(2024, 0, 31, 13, 45)],
    ["%Y-%m-%d %H:%M:%S", "2024-01-31 13:45:07", Date.UTC(2024, 0, 31, 13, 45, 7)],
    ["%d/%m/%Y %H:%M:%S", "31/01/2024 13:45:07", Date.UTC(2024, 0, 31, 13, 45, 7)],
    ["iso8601", "2024-01-31T13:45:07Z", Date.UTC(2024, 0, 31, 13, 45, 7)],
    ["iso8601", "2024-01-31T13:45:07+02:00", Date.UTC(2024, 0, 31, 11, 45, 7)],
    ["iso8601", "2024-01-31T13:45:07.250-05:00", Date.UTC(2024, 0, 31, 18, 45, 7, 250)],
    ["epoch", "1706708707", Date.UTC(2024, 0, 31, 13, 45, 7)],
    ["epoch_s", "1706708707.5", Date.UTC(2024, 0, 31, 13, 45, 7, 500)],
    ["epoch_ms", "1706708707250", Date.UTC(2024, 0, 31, 13, 45, 7, 250)],
  ];
  for (const [format, value, expected] of cases) {
    const path = write("ts.csv", `cust,when,paid\nc1,${value},5\nc1,not-a-date,5\n`);
    const { frame, report } = cleanTransactions(loadTransactions(path, mapping({ timestampFormat: format })));
    assert.deepEqual(frame.getColumn("ts_ms").toArray(), [expected], `${format} ${value}`);
    assert.deepEqual(
      report.dropped.map((d) => [d.reason, d.examples[0].value]),
      [["invalid_timestamp", "not-a-date"]],
      format,
    );
  }
});

test("a date-time format whose values are all midnight counts as date-only", () => {
  const path = write("midnight.csv", "cust,when,paid\nc1,2024-01-31 00:00:00,5\nc2,2024-02-01 00:00:00,5\n");
  assert.equal(loadTransactions(path, mapping({ timestampFormat: "%Y-%m-%d %H:%M:%S" })).timeOfDay, false);
  const timed = write("timed.csv", "cust,when,paid\nc1,2024-01-31 00:00:00,5\nc2,2024-02-01 09:30:00,5\n");
  assert.equal(loadTransactions(timed, mapping({ timestampFormat: "%Y-%m-%d %H:%M:%S" })).timeOfDay, true);
});

test("non-finite numbers (Infinity, -inf, NaN) are invalid rows naming row, column and value", () => {
  const path = write(
    "nonfinite.csv",
    "cust,when,paid,qty\nc1,2024-01-05,Infinity,1\nc2,2024-01-06,-inf,1\nc3,2024-01-07,NaN,1\nc4,2024-01-08,5,inf\nc5,2024-01-09,5,2\n",
  );
  const { frame, report } = cleanTransactions(loadTransactions(path, mapping({ quantity: "qty" })));
  assert.deepEqual(frame.getColumn("row").toArray().map(Number), [5]);
  const byReason = Object.fromEntries(report.dropped.map((d) => [d.reason, d]));
  assert.equal(byReason.non_finite_amount.count, 3);
  assert.deepEqual(byReason.non_finite_amount.examples, [
    { row: 1, column: "paid", value: "Infinity" },
    { row: 2, column: "paid", value: "-inf" },
    { row: 3, column: "paid", value: "NaN" },
  ]);
  assert.deepEqual(byReason.non_finite_quantity.examples, [{ row: 4, column: "qty", value: "inf" }]);
});

test("a mapping may name a quantity column without price or discount", () => {
  const path = write("qty.csv", "cust,when,paid,qty\nc1,2024-01-05,10,2\nc1,2024-03-05,4,0\nc2,2024-03-06,4,x\n");
  const { frame, report } = cleanTransactions(loadTransactions(path, mapping({ quantity: "qty" })));
  assert.deepEqual(frame.getColumn("quantity").toArray(), [2]);
  assert.deepEqual(report.dropped.map((d) => d.reason).sort(), ["invalid_quantity", "non_positive_quantity"]);
});

test("a log where every row fails stops with its cleaning report: each reason, count, row, column, value", () => {
  const path = write("all-bad.txt", "cust when paid\nc1 2024/01/05 10\nc2 20240106 -3\n- 20240107 abc\n");
  assert.throws(
    () => prepareData({ input: path, mapping: mapping({ timestampFormat: "%Y%m%d" }) }),
    (e: Error) => {
      assert.ok(e instanceof NoValidTransactionsError);
      assert.match(e.message, /no valid transactions in .*all-bad\.txt: every record was dropped/);
      assert.match(e.message, /3 records, 0 kept, 3 dropped/);
      assert.match(e.message, /invalid_timestamp\s+1 .*row 1 when="2024\/01\/05"/s);
      assert.match(e.message, /invalid_amount\s+1 .*row 3 paid="abc"/s);
      assert.match(e.message, /non_positive_amount\s+1 .*row 2 paid="-3"/s);
      return true;
    },
  );
});

test("CLI mapping flags: a separator, transaction id or timestamp format alone refines the Kaggle layout; own columns start afresh", async () => {
  const { toDataOptions } = await import("../../src/cli/options.js");
  const defaults = { horizonDays: 90, duplicates: "auto" as const, winsorizeIqr: 3, winsorize: true };
  assert.equal(toDataOptions(defaults).mapping, undefined);
  assert.deepEqual(toDataOptions({ ...defaults, separator: ";", transactionIdCol: "Order" }).mapping, {
    ...KAGGLE_MAPPING,
    separator: ";",
    transactionId: "Order",
  });
  assert.equal(toDataOptions({ ...defaults, timestampFormat: "%Y-%m-%d %H:%M" }).mapping?.customerId, "CustomerID");
  const own = toDataOptions({ ...defaults, customerCol: "c", timestampCol: "t", timestampFormat: "%Y%m%d", amountCol: "a" }).mapping;
  assert.deepEqual(own, { customerId: "c", timestamp: "t", timestampFormat: "%Y%m%d", amount: "a" });
  assert.throws(() => toDataOptions({ ...defaults, customerCol: "c" }), /mapping needs timestamp, timestampFormat, amount/);
  assert.equal(toDataOptions({ ...defaults, winsorize: false }).features?.winsorizeIqr, null);
  assert.throws(() => toDataOptions({ ...defaults, horizon: 2.5 }), /--horizon-days must be a whole number of days ≥ 1, got 2.5/);
});
