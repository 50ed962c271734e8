import assert from "node:assert/strict";
import { test } from "node:test";
import { fitCycles } from "../src/bench/results.js";
import { resample } from "../src/bench/sized-input.js";
import { PassThrough } from "node:stream";
import { forEachLine } from "../src/zkvm/driver.js";
import { HostProtocolError, parseHostRecord } from "../src/zkvm/record.js";
import { ZKVMS, zkvm } from "../src/zkvm/registry.js";

const record = {
  ok: true, error: null, command: "execute", zkvm: "risc0", zkvm_version: "3.0.6", proof_kind: null, sha: "precompile",
  dev_mode: false, program_id: "ab", input_bytes: 100, total_cycles: 65536, user_cycles: 1234, segments: 1,
  execute_ms: 3.5, prove_ms: null, verify_ms: null, proof_path: null, proof_bytes: null, peak_rss_bytes: 1000, peak_rss_scope: "process", setup_ms: 12.5, host_ms: 20.25,
  public_output_hex: "00", public_output: {}, score: { r2: 0.5, mse: 1, mae: 1 }, exit_code: 0,
};

test("a host record is accepted only with every protocol field", () => {
  assert.deepEqual(parseHostRecord(JSON.stringify(record), "t"), record);
  const { user_cycles: _, ...missing } = record;
  assert.throws(() => parseHostRecord(JSON.stringify(missing), "risc0 execute"), (e: Error) => e instanceof HostProtocolError && /field user_cycles/.test(e.message));
  assert.throws(() => parseHostRecord(JSON.stringify({ ...record, sha: "fast" }), "t"), /field sha/);
  assert.throws(() => parseHostRecord("proving… done\n{", "t"), /not one JSON object/);
});

test("the zkVM table is data: unique ids, a binary and proof kinds each", () => {
  assert.equal(new Set(ZKVMS.map((z) => z.id)).size, ZKVMS.length);
  for (const z of ZKVMS) assert.ok(z.binary.endsWith(`zkml-${z.id}-host`) && z.proofKinds.length > 0);
  assert.throws(() => zkvm("jolt"), /unknown zkVM 'jolt'/);
});

test("cycle fit recovers fixed and per-sample cycles", () => {
  const fit = fitCycles([10, 100, 1000].map((n) => ({ n, cycles: 5000 + 200 * n })));
  assert.ok(Math.abs(fit.fixed - 5000) < 1e-6 && Math.abs(fit.perSample - 200) < 1e-9);
});

test("resampling gives exactly n rows, the first rows when n fits", () => {
  const test_ = { x: [[1], [2], [3]], y: [10, 20, 30], customerIds: ["a", "b", "c"] };
  assert.deepEqual(resample(test_, 2, 1).y, [10, 20]);
  const big = resample(test_, 50, 1);
  assert.equal(big.y.length, 50);
  assert.ok(big.y.every((v) => [10, 20, 30].includes(v)));
  assert.throws(() => resample(test_, 0, 1), /positive integer/);
});

test("host output is split into whole lines, also where a character spans two chunks", async () => {
  const stream = new PassThrough();
  const lines: string[] = [];
  forEachLine(stream, (line) => lines.push(line));
  const ended = new Promise((resolve) => stream.on("end", resolve));
  const bytes = Buffer.from("R² 0.39\nno newline at the end");
  stream.write(bytes.subarray(0, 2)); // "R" and the first byte of "²"
  stream.end(bytes.subarray(2));
  await ended;
  assert.deepEqual(lines, ["R² 0.39", "no newline at the end"]);
});
