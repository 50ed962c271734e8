import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { decodePublicOutput, encodePublicOutput } from "../src/export/reference.js";
import { buildVectors, expectationOf, readVectors } from "../src/export/vectors.js";

const dir = join(import.meta.dirname, "..", "spec", "vectors");
const onDisk = readVectors(dir);

test("the committed vectors are exactly what the generator builds", () => {
  const built = buildVectors();
  assert.deepEqual(onDisk.map((v) => v.vector.name).sort(), built.map((v) => v.name).sort());
  for (const v of built) {
    const stored = onDisk.find((s) => s.vector.name === v.name)!;
    assert.ok(stored.vector.input.equals(v.input), `${v.name}: input bytes differ; run npm run vectors`);
  }
  assert.ok(onDisk.some((v) => v.expectation.expect === "ok"));
  assert.ok(onDisk.some((v) => v.expectation.expect !== "ok"));
});

for (const { vector, expectation } of onDisk) {
  test(`vector ${vector.name}: reference gives ${expectation.expect}`, () => {
    assert.deepEqual(expectationOf(vector), expectation);
    if (expectation.public_output_hex) {
      const bytes = Buffer.from(expectation.public_output_hex, "hex");
      assert.ok(encodePublicOutput(decodePublicOutput(bytes)).equals(bytes));
    }
  });
}
