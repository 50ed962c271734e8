import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { decodePublicOutput, encodePublicOutput } from "../../src/export/reference.js";
import { buildVectors, expectationOf, readVectors, writeVectors } from "../../src/export/vectors.js";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tempDir } from "../helpers.js";

const dir = join(import.meta.dirname, "..", "..", "spec", "vectors");
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

test("writing the vectors into a directory replaces stale vectors and touches nothing else", () => {
  const out = tempDir();
  writeFileSync(join(out, "notes.txt"), "mine");
  writeFileSync(join(out, "config.json"), JSON.stringify({ name: "config" }));
  const stale = { name: "old-vector", description: "from an earlier set", expect: "ok" };
  writeFileSync(join(out, "old-vector.json"), JSON.stringify(stale));
  writeFileSync(join(out, "old-vector.input.bin"), Buffer.alloc(16));
  const written = writeVectors(out);
  assert.equal(readFileSync(join(out, "notes.txt"), "utf8"), "mine");
  assert.ok(existsSync(join(out, "config.json")), "a JSON file that is not a vector stays");
  assert.ok(!existsSync(join(out, "old-vector.json")) && !existsSync(join(out, "old-vector.input.bin")));
  assert.equal(written.length, onDisk.length);
  for (const e of written) assert.ok(existsSync(join(out, `${e.name}.json`)) && existsSync(join(out, `${e.name}.input.bin`)), e.name);
});
