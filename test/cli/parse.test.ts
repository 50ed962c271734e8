import assert from "node:assert/strict";
import { test } from "node:test";
import { InvalidArgumentError } from "commander";
import { choice, integer, listOf, number } from "../../src/cli/parse.js";

test("integer accepts whole numbers in range and nothing else", () => {
  assert.equal(integer(0)("7"), 7);
  assert.equal(integer(1, 24)(" 24 "), 24);
  for (const bad of ["abc", "", "1.5", "-1", "1e400", "0x"]) assert.throws(() => integer(0)(bad), InvalidArgumentError, bad);
  assert.throws(() => integer(1, 24)("25"), /from 1 to 24/);
});

test("a whole number outside the range is called out of range, not 'not a whole number'", () => {
  for (const big of ["1e20", "9007199254740993", "4294967296"])
    assert.throws(() => integer(0, 2 ** 31 - 1)(big), /out of range: expected a whole number from 0 to 2147483647/, big);
  assert.throws(() => integer(0)("-1"), /out of range: expected a whole number ≥ 0/);
  assert.throws(
    () => integer(0)("1.5"),
    (e: Error) => !/out of range/.test(e.message),
  );
});

test("number is finite and strictly inside its bounds", () => {
  assert.equal(number(0)("0.5"), 0.5);
  assert.equal(number(0, 1)("0.2"), 0.2);
  for (const bad of ["abc", "", "0", "Infinity", "NaN"]) assert.throws(() => number(0)(bad), InvalidArgumentError, bad);
  assert.throws(() => number(0, 1)("1"), /between 0 and 1/);
});

test('lists parse each item, name the bad one, and "" is empty', () => {
  assert.deepEqual(listOf(integer(1))("10, 100,1000"), [10, 100, 1000]);
  assert.deepEqual(listOf(integer(1))(""), []);
  assert.throws(() => listOf(integer(1))("10,x"), /'x': expected a whole number ≥ 1/);
  assert.deepEqual(listOf(choice(["a", "b"] as const))("b,a"), ["b", "a"]);
  assert.throws(() => listOf(choice(["a", "b"] as const))("a,c"), /'c': expected one of a, b/);
});
