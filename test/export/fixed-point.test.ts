import assert from "node:assert/strict";
import { test } from "node:test";
import { QuantizationError, quantize, roundDiv, roundDivSigned, roundShift } from "../../src/export/fixed-point.js";

test("roundShift rounds half up with a flooring shift", () => {
  // F = 2: values are quarters; ±2 are exact halves.
  assert.deepEqual(
    [1n, 2n, 3n, -1n, -2n, -3n, 6n].map((v) => roundShift(v, 2)),
    [0n, 1n, 1n, 0n, 0n, -1n, 2n],
  );
});

test("roundDiv and roundDivSigned round half away from zero", () => {
  assert.equal(roundDiv(5n, 2n), 3n);
  assert.equal(roundDiv(4n, 3n), 1n);
  assert.equal(roundDiv(0n, 7n), 0n);
  assert.equal(roundDivSigned(-5n, 2n), -3n);
  assert.equal(roundDivSigned(-4n, 3n), -1n);
  assert.throws(() => roundDiv(-1n, 2n), RangeError);
});

test("quantize rounds half away from zero and rejects what does not fit i32", () => {
  assert.equal(quantize(0.5, 1, "x"), 1n);
  assert.equal(quantize(-0.75, 1, "x"), -2n);
  assert.equal(quantize(1 / 3, 16, "x"), 21845n);
  assert.equal(quantize(-32768, 16, "x"), -(2n ** 31n));
  assert.throws(
    () => quantize(32768, 16, "monetary_total row 7"),
    (e: Error) => e instanceof QuantizationError && /monetary_total row 7: value 32768/.test(e.message),
  );
  assert.throws(() => quantize(Number.NaN, 16, "x"), /not finite/);
});
