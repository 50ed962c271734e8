// The verdict on a claim (src/zkvm/verdict.ts): exact intervals, coarse claims
// refused before anything is verified, the interval printed with the verdict.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ClaimUsageError, MAX_TOLERANCE, checkScore, describeCheck, parseClaim, parseClaims, verdictOf } from "../../src/zkvm/verdict.js";

const proven = { r2: 0.678123, mse: 1234.5678, mae: 12.3456, n_samples: 18 };

test("a claim is checked at its own decimals, which must be at least three", () => {
  const c = parseClaim("r2", "0.678");
  assert.deepEqual([c.low, c.high, c.rule], [0.6775, 0.6785, "decimals"]);
  assert.ok(checkScore(c, 0.678123).holds);
  assert.ok(checkScore(c, 0.6785).holds, "an end of the interval is inside");
  assert.ok(!checkScore(c, 0.67851).holds);
  assert.ok(!checkScore(c, 0.6774999).holds);
  assert.ok(checkScore(parseClaim("r2", "0.6781"), 0.678123).holds);
  assert.ok(!checkScore(parseClaim("r2", "0.6782"), 0.678123).holds);
  assert.ok(checkScore(parseClaim("r2", "-0.012"), -0.01249).holds, "negative R²");
  assert.ok(!checkScore(parseClaim("r2", "0.678"), null).holds, "an undefined R² holds no claim");
});

test("the issue's stretched claims are refused, not passed: R² 1 and 0.7 for a proven 0.678", () => {
  assert.throws(
    () => parseClaim("r2", "1"),
    (e: Error) => e instanceof ClaimUsageError && /--r2 1 states 0 decimals.*at least 3 \(e\.g\. --r2 1\.000\)/.test(e.message),
  );
  assert.throws(() => parseClaim("r2", "0.7"), /--r2 0\.7 states 1 decimal: /);
  assert.throws(() => parseClaim("mse", "1234.57"), /--mse 1234\.57 states 2 decimals/, "the same rule for every score");
  assert.throws(() => parseClaim("r2", "high"), /--r2 'high' is not a decimal number/);
  assert.throws(() => parseClaim("r2", "1e-3"), /not a decimal number/);
});

test("a named tolerance replaces the decimals, and can be no wider than half a unit in the third decimal", () => {
  const c = parseClaim("r2", "0.678", "0.0002");
  assert.equal(c.rule, "explicit");
  assert.ok(checkScore(c, 0.6782).holds && !checkScore(c, 0.67821).holds);
  assert.ok(checkScore(parseClaim("r2", "0.7", "0.0005"), 0.7004).holds, "a one-decimal claim with a tight tolerance is exact enough");
  assert.ok(!checkScore(parseClaim("r2", "0.7", "0.0005"), 0.678123).holds);
  assert.throws(() => parseClaim("r2", "1", "0.5"), /--tolerance 0\.5 is wider than 0\.0005/);
  assert.throws(() => parseClaim("r2", "0.678", "0.00051"), /wider than/);
  assert.throws(() => parseClaim("r2", "0.678", "0"), /not a positive decimal/);
  assert.throws(() => parseClaim("r2", "0.678", "-0.0001"), /not a positive decimal/);
  assert.throws(() => parseClaims({}, "0.0001"), /no score was claimed/);
  assert.equal(MAX_TOLERANCE, 0.0005);
});

test("the verdict names every claimed score, its interval and the proven value", () => {
  const pass = verdictOf(proven, parseClaims({ r2: "0.678", mse: "1234.568" }));
  assert.ok(pass.ok);
  assert.deepEqual(pass.reasons, []);
  assert.deepEqual(pass.checks.map(describeCheck), [
    "claim: R² 0.678 accepts [0.6775, 0.6785] (its 3 decimals); proven 0.678123: holds",
    "claim: MSE 1234.568 accepts [1234.5675, 1234.5685] (its 3 decimals); proven 1234.5678: holds",
  ]);
  const fail = verdictOf(proven, parseClaims({ r2: "0.700", mae: "12.346" }, "0.0001"));
  assert.ok(!fail.ok);
  assert.deepEqual(fail.reasons, [
    "claimed R² 0.700, but the proof shows R² 0.678123, outside the accepted [0.6999, 0.7001]",
    "claimed MAE 12.346, but the proof shows MAE 12.3456, outside the accepted [12.3459, 12.3461]",
  ]);
  assert.match(describeCheck(fail.checks[1]), /^claim: MAE 12\.346 accepts \[12\.3459, 12\.3461\] \(tolerance 0\.0001\); proven 12\.3456: does not hold$/);
  assert.ok(verdictOf(proven, []).ok, "commitments only: no score claimed");
});
