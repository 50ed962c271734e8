import assert from "node:assert/strict";
import { test } from "node:test";
import { fitCycles } from "../../src/bench/results.js";
import { resample } from "../../src/bench/sized-input.js";
import { PassThrough } from "node:stream";
import { type HostRun, forEachLine, pinnedCommand, runFailure } from "../../src/zkvm/driver.js";
import os from "node:os";
import { HostProtocolError, type HostRecord, commitmentScheme, matchesReferenceOutput, parseHostRecord } from "../../src/zkvm/record.js";
import { ZKVMS, ZKVM_IDS, isZkvmId, parseHostInfo, zkvm } from "../../src/zkvm/registry.js";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../src/paths.js";

const record = {
  schema: 1,
  ok: true,
  error: null,
  command: "execute",
  zkvm: "risc0",
  zkvm_version: "3.0.6",
  proof_kind: null,
  sha: "precompile",
  dev_mode: false,
  program_id: "ab",
  input_bytes: 100,
  total_cycles: 65536,
  user_cycles: 1234,
  segments: 1,
  execute_ms: 3.5,
  prove_ms: null,
  verify_ms: null,
  proof_path: null,
  proof_bytes: null,
  peak_rss_bytes: 1000,
  peak_rss_scope: "process",
  setup_ms: 12.5,
  keys: "cache",
  host_ms: 20.25,
  public_output_hex: "00",
  public_output: {},
  score: { r2: 0.5, mse: 1, mae: 1 },
  exit_code: 0,
  setup_trust: null,
} satisfies HostRecord;

test("a host record is accepted only with every protocol field", () => {
  assert.deepEqual(parseHostRecord(JSON.stringify(record), "t"), record);
  assert.throws(() => parseHostRecord(JSON.stringify({ ...record, cycles: 1 }), "t"), /unknown field cycles/);
  assert.throws(() => parseHostRecord(JSON.stringify({ ...record, prove_ms: "12" }), "t"), /field prove_ms/);
  assert.throws(() => parseHostRecord(JSON.stringify([record]), "t"), /not a JSON object/);
  const { user_cycles: _, ...missing } = record;
  assert.throws(
    () => parseHostRecord(JSON.stringify(missing), "risc0 execute"),
    (e: Error) => e instanceof HostProtocolError && /field user_cycles/.test(e.message),
  );
  assert.throws(() => parseHostRecord(JSON.stringify({ ...record, sha: "fast" }), "t"), /field sha/);
  assert.throws(() => parseHostRecord(JSON.stringify({ ...record, keys: "disk" }), "t"), /field keys/);
  assert.throws(() => parseHostRecord("proving… done\n{", "t"), /not one JSON object/);
  // Another version is refused before any field is looked at, saying what to do.
  assert.throws(
    () => parseHostRecord(JSON.stringify({ ...record, schema: 2 }), "t"),
    /schema version 2; this zkml-bench reads HostRecord version 1.*rebuild it/,
  );
  assert.throws(() => parseHostRecord(JSON.stringify({ ...record, schema: undefined }), "t"), /no schema version/);
  assert.throws(() => parseHostRecord(JSON.stringify({ ...record, score: { r2: 1, mse: 1 } }), "t"), /field score\.mae is missing/);
});

test("a public output matches the reference byte for byte; one with another data commitment on all but that field", () => {
  const expected = "11".repeat(40) + "22".repeat(32) + "33".repeat(96);
  const poseidon = "11".repeat(40) + "99".repeat(32) + "33".repeat(96);
  const sha = { ...record, public_output_hex: expected };
  assert.equal(matchesReferenceOutput(sha, expected), true);
  assert.equal(matchesReferenceOutput({ ...sha, public_output_hex: poseidon }, expected), false, "a SHA-256 prover must match its data commitment too");
  const ezkl = { ...record, zkvm: "ezkl", public_output_hex: poseidon, public_output: { commitment_scheme: "poseidon" } };
  assert.equal(commitmentScheme(ezkl), "poseidon");
  assert.equal(matchesReferenceOutput(ezkl, expected), true);
  assert.equal(matchesReferenceOutput({ ...ezkl, public_output_hex: poseidon.slice(0, -2) + "34" }, expected), false, "the sums and score still count");
  assert.equal(matchesReferenceOutput({ ...ezkl, public_output_hex: "00" + poseidon.slice(2) }, expected), false, "and the header and model commitment");
  assert.equal(matchesReferenceOutput({ ...ezkl, public_output_hex: null }, expected), null);
});

test("the zkVM table is data: unique ids, each with a label, a colour and a host binary", () => {
  assert.equal(new Set(ZKVMS.map((z) => z.id)).size, ZKVMS.length);
  assert.equal(new Set(ZKVMS.map((z) => z.color)).size, ZKVMS.length, "figures tell zkVMs apart by colour");
  for (const z of ZKVMS) assert.ok(z.binary.endsWith(`zkml-${z.id}-host`) && z.label && /^#[0-9a-f]{6}$/.test(z.color) && ["zkvm", "circuit"].includes(z.kind));
  assert.throws(() => zkvm("jolt"), /unknown zkVM 'jolt'/);
  assert.ok(isZkvmId("sp1") && !isZkvmId("jolt"));
});

test("every zkVM folder under guests/ has a table entry, and every entry a folder", () => {
  const folders = execFileSync("bash", [join(PROJECT_ROOT, "guests", "build.sh"), "--list"], { encoding: "utf8" })
    .trim()
    .split("\n");
  assert.deepEqual([...folders].sort(), [...ZKVM_IDS].sort());
});

test("a host's info is accepted only as spec/host-info.schema.json says, for the zkVM asked", () => {
  const info = {
    schema: 1,
    zkvm: "sp1",
    label: "SP1",
    zkvm_version: "6.10.0",
    isa: "rv64im",
    proof_kinds: [{ kind: "core", what: "shard proofs", claim: true }],
    refused_kinds: [{ kind: "plonk", why: "a download" }],
    commitment_scheme: "sha256",
    refused_model_kinds: [],
    verify_options: [],
    prove_memory: null,
    build: { rustflags: "-C target-cpu=native", target_cpu: "native", target_features: ["avx2"] },
  };
  assert.deepEqual(parseHostInfo(JSON.stringify(info), "sp1"), info);
  const { build: _, ...unbuilt } = info;
  assert.throws(() => parseHostInfo(JSON.stringify(unbuilt), "sp1"), /field build is missing/);
  assert.throws(() => parseHostInfo(JSON.stringify({ ...info, build: { ...info.build, target_features: "avx2" } }), "sp1"), /field build\.target_features/);
  assert.throws(() => parseHostInfo(JSON.stringify(info), "risc0"), /risc0 info: it says it is sp1/);
  assert.throws(() => parseHostInfo(JSON.stringify({ ...info, proof_kinds: [] }), "sp1"), /proof_kinds/);
  assert.throws(() => parseHostInfo(JSON.stringify({ ...info, proof_kinds: [{ kind: "core", what: "x" }] }), "sp1"), /proof_kinds\.0\.claim is missing/);
  assert.throws(() => parseHostInfo(JSON.stringify({ ...info, refused_kinds: [{ kind: "plonk" }] }), "sp1"), /refused_kinds/);
  assert.throws(() => parseHostInfo(JSON.stringify({ ...info, isa: 64 }), "sp1"), /field isa/);
  assert.throws(
    () => parseHostInfo(JSON.stringify({ ...info, schema: 2 }), "sp1"),
    /schema version 2; this zkml-bench reads HostInfo version 1.*guests\/build\.sh sp1/,
  );
  const ezkl = {
    ...info,
    zkvm: "ezkl",
    commitment_scheme: "poseidon",
    refused_model_kinds: [{ kind: "polynomial", why: "not bit-exact" }],
    prove_memory: { what: "measured", steps: [{ model_kind: "affine", max_samples: 1598, peak_bytes: 11e9 }] },
  };
  assert.deepEqual(parseHostInfo(JSON.stringify(ezkl), "ezkl"), ezkl);
  assert.throws(() => parseHostInfo(JSON.stringify({ ...ezkl, refused_model_kinds: [{ kind: "polynomial" }] }), "ezkl"), /refused_model_kinds/);
  assert.throws(() => parseHostInfo(JSON.stringify({ ...ezkl, commitment_scheme: 1 }), "ezkl"), /commitment_scheme/);
  assert.throws(
    () => parseHostInfo(JSON.stringify({ ...ezkl, prove_memory: { what: "x", steps: [{ model_kind: "affine", max_samples: 0, peak_bytes: 1 }] } }), "ezkl"),
    /prove_memory/,
  );
  assert.throws(() => parseHostInfo("usage: host <command>", "sp1"), /not one JSON object/);
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

test("a host that died without a record: out of memory is named where the signs say so", () => {
  const died = (o: Partial<HostRun>): HostRun => ({
    exitCode: null,
    record: null,
    stderrTail: "",
    wallMs: 5000,
    peakRssExternalBytes: null,
    timedOut: false,
    ...o,
  });
  assert.equal(runFailure(died({ timedOut: true })), "timed out after 5 s");
  assert.equal(
    runFailure(died({ signal: "SIGABRT", stderrTail: "proving\nmemory allocation of 34359738368 bytes failed" })),
    "out of memory: memory allocation of 34359738368 bytes failed",
  );
  assert.equal(runFailure(died({ exitCode: 1, stderrTail: "Traceback …\nMemoryError" })), "out of memory: MemoryError");
  for (const killed of [died({ signal: "SIGKILL" }), died({ exitCode: 137 }), died({ exitCode: 1, stderrTail: "Command terminated by signal 9" })])
    assert.match(runFailure(killed)!, /^killed by SIGKILL, most likely the kernel's out-of-memory killer/);
  assert.equal(runFailure(died({ signal: "SIGSEGV", stderrTail: "segfault here" })), "killed by SIGSEGV: segfault here");
  assert.equal(runFailure(died({ exitCode: 2, stderrTail: "bad flag" })), "exit 2: bad flag");
});

test("pinning: a host runs on the first k cores (taskset) with a matching thread pool; more cores than the machine has are refused", () => {
  assert.deepEqual(pinnedCommand("/bin/host", ["prove"], undefined), { file: "/bin/host", argv: ["prove"], env: {} });
  const pinned = pinnedCommand("/bin/cat", ["/proc/self/status"], 1, { A: "1" });
  assert.deepEqual(pinned, { file: "taskset", argv: ["--cpu-list", "0-0", "/bin/cat", "/proc/self/status"], env: { A: "1", RAYON_NUM_THREADS: "1" } });
  // The kernel's view of the pinned process: only CPU 0 allowed.
  const status = execFileSync(pinned.file, pinned.argv, { encoding: "utf8" });
  assert.match(status, /^Cpus_allowed_list:\s+0$/m);
  assert.throws(() => pinnedCommand("/bin/host", [], os.availableParallelism() + 1), /this machine has \d+ \(choose 1\.\.\d+\)/);
  assert.throws(() => pinnedCommand("/bin/host", [], 0), RangeError);
});
