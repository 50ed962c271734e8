import assert from "node:assert/strict";
import { test } from "node:test";
import type { SpecError } from "../../src/export/errors.js";
import { type QuantizedModel, decodeModel, decodeTestSet, encodeModel, encodeTestSet, validateModel } from "../../src/export/format.js";
import { allTerms } from "../../src/model/poly.js";

const poly: QuantizedModel = {
  kind: "polynomial",
  fracBits: 16,
  nFeatures: 3,
  zClip: 8n << 16n,
  bias: 5n,
  mean: [1n, 2n, 3n],
  invStd: [4n, 5n, 6n],
  terms: allTerms(3, 2),
  weights: allTerms(3, 2).map((_, t) => BigInt(t - 4)),
};

test("model and test set round-trip through their binary form", () => {
  assert.deepEqual(decodeModel(encodeModel(poly)), poly);
  const t = { fracBits: 16, nFeatures: 2, nSamples: 2, rows: Int32Array.from([1, -2, 3, -4, 5, -6]) };
  assert.deepEqual(decodeTestSet(encodeTestSet(t)), t);
});

test("allTerms enumerates monomials in graded lexicographic order", () => {
  assert.deepEqual(allTerms(2, 2), [[0], [1], [0, 0], [0, 1], [1, 1]]);
  assert.equal(allTerms(7, 3).length, 7 + 28 + 84);
});

test("validation rejects a z_clip whose cube overflows", () => {
  const cubic = { ...poly, terms: allTerms(3, 3), weights: allTerms(3, 3).map(() => 1n) };
  // Largest C with C³ ≤ 2^(30 + 2·16) = 2^62: about 25.4 in Q16.
  let c = 1_600_000n;
  while ((c + 1n) ** 3n <= 2n ** 62n) c++;
  assert.equal(c, 1664510n);
  assert.doesNotThrow(() => validateModel({ ...cubic, zClip: c }));
  assert.throws(
    () => validateModel({ ...cubic, zClip: c + 1n }),
    (e: SpecError) => e.code === "ZClipTooLarge",
  );
});

test("validation rejects unsorted and out-of-range term indices", () => {
  assert.throws(
    () => validateModel({ ...poly, terms: [[1, 0], ...poly.terms.slice(1)] }),
    (e: SpecError) => e.code === "BadTerm",
  );
  assert.throws(
    () => validateModel({ ...poly, terms: [[3], ...poly.terms.slice(1)] }),
    (e: SpecError) => e.code === "BadTerm",
  );
});
