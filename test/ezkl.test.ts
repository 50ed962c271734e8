// The EZKL host (guests/ezkl) against the TypeScript reference, with real
// halo2 proofs. EZKL commits to the test set with a Poseidon hash, not SHA-256,
// so its public output is compared with the reference on every field but the
// data commitment, and that one with `commit`, the data owner's own hash.
// CI names it in ZKML_REQUIRE_ZKVMS (guests/build.sh --list), so a missing host fails.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { sizedInput } from "../src/bench/sized-input.js";
import { writeGeneratedCsv } from "../src/data/generate.js";
import { encodePublicOutput, scoreOf } from "../src/export/reference.js";
import { readVectors } from "../src/export/vectors.js";
import { SPEC_VECTORS_DIR } from "../src/paths.js";
import { runTraining } from "../src/pipeline.js";
import { hostArgs, hostBuilt, runHost } from "../src/zkvm/driver.js";
import { matchesReferenceOutput } from "../src/zkvm/record.js";
import { hostInfo, zkvm } from "../src/zkvm/registry.js";
import { HostServer } from "../src/zkvm/server.js";
import { verifyClaim } from "../src/zkvm/verify.js";
import { tempDir } from "./helpers.js";

const z = zkvm("ezkl");
const built = hostBuilt(z);
if (!built && (process.env.ZKML_REQUIRE_ZKVMS ?? "").split(",").includes("ezkl"))
  throw new Error(`ZKML_REQUIRE_ZKVMS names ezkl, but ${z.binary} was not built`);
const dir = tempDir();

/** The data owner's published commitment of a test set (`<host> commit`). */
function commit(flag: "--input" | "--testset", path: string): string {
  const out = JSON.parse(execFileSync(z.binary, ["commit", flag, path], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  assert.equal(out.commitment_scheme, "poseidon");
  return out.data_commitment;
}

/** The proof file's header (guests/ezkl/zkml_ezkl/proof_file.py), to tamper with. */
function header(bytes: Buffer): { start: number; end: number; json: Record<string, unknown> } {
  assert.equal(bytes.subarray(0, 8).toString(), "ZKMLEZKL");
  const end = 12 + bytes.readUInt32LE(8);
  return { start: 12, end, json: JSON.parse(bytes.subarray(12, end).toString()) };
}

function withHeader(bytes: Buffer, json: Record<string, unknown>): Buffer {
  const { end } = header(bytes);
  const text = Buffer.from(JSON.stringify(json));
  const size = Buffer.alloc(4);
  size.writeUInt32LE(text.length);
  return Buffer.concat([bytes.subarray(0, 8), size, text, bytes.subarray(end)]);
}

describe("EZKL host", { skip: built ? false : `${z.binary} not built (guests/build.sh ezkl)` }, () => {
  const server = built ? new HostServer(z) : (null as unknown as HostServer);
  after(() => server?.close());

  test("info: a circuit prover with a Poseidon data commitment, refusing polynomial models with the reason", () => {
    const info = hostInfo(z);
    assert.equal(info.label, z.label);
    assert.equal(info.commitment_scheme, "poseidon");
    assert.deepEqual(info.build, { rustflags: null, target_cpu: null, target_features: [] }, "PyPI's wheel: no build flags of ours");
    assert.deepEqual(
      info.refused_model_kinds?.map((k) => k.kind),
      ["polynomial"],
    );
  });

  const vectors = readVectors(SPEC_VECTORS_DIR);
  test("the circuit computes the reference's sums and score on every affine spec vector; polynomial ones are refused", async () => {
    let affine = 0;
    for (const { vector, expectation } of vectors.filter((v) => v.expectation.expect === "ok")) {
      const input = join(dir, `${vector.name}.input.bin`);
      writeFileSync(input, vector.input);
      const run = await server.run(hostArgs.execute(input));
      if (vector.input.readUInt32LE(16 + 8) === 2) {
        assert.equal(run.exitCode, 2, vector.name);
        assert.match(run.record!.error!, /polynomial models/);
        continue;
      }
      affine++;
      assert.equal(run.exitCode, 0, run.record?.error ?? run.stderrTail);
      const r = run.record!;
      assert.equal(
        matchesReferenceOutput(r, expectation.public_output_hex!),
        true,
        `${vector.name}: ${r.public_output_hex} vs ${expectation.public_output_hex}`,
      );
      assert.equal((r.public_output as { data_commitment: string }).data_commitment, commit("--input", input));
      assert.ok(r.user_cycles! > 0 && r.total_cycles! >= r.user_cycles!, "rows used within 2^logrows");
    }
    assert.ok(affine >= 2, `${affine} affine vectors`);
  });

  test("bad input is refused with the spec's error name", async () => {
    const bad = vectors.find((v) => v.expectation.expect === "BadMagic")!;
    const input = join(dir, "bad.input.bin");
    writeFileSync(input, bad.vector.input);
    const run = await server.run(hostArgs.execute(input));
    assert.equal(run.exitCode, 1);
    assert.match(run.record!.error!, /BadMagic/);
  });

  test("a real proof verifies for a third party, and tampering, a wrong model or a wrong data commitment is rejected", async () => {
    const csv = join(dir, "small.csv");
    writeGeneratedCsv(csv, { transactions: 1500, seed: 11 });
    const { trained } = runTraining({ input: csv });
    const files = (family: "ridge" | "linear") => {
      const bundle = sizedInput(trained.models[family], trained.test, trained.target, 10, 16);
      const paths = {
        input: join(dir, `${family}.input.bin`),
        testSet: join(dir, `${family}.testset.bin`),
        model: join(dir, `${family}.model.bin`),
        proof: join(dir, `${family}.proof`),
      };
      writeFileSync(paths.input, bundle.input);
      writeFileSync(paths.testSet, bundle.testSet);
      writeFileSync(paths.model, bundle.model);
      return { ...paths, bundle, expectedHex: encodePublicOutput(bundle.output).toString("hex") };
    };
    const ridge = files("ridge");
    const proved = await server.run(hostArgs.prove({ input: ridge.input, proof: ridge.proof }));
    assert.equal(proved.exitCode, 0, proved.record?.error ?? proved.stderrTail);
    const r = proved.record!;
    assert.equal(r.dev_mode, false);
    assert.equal(matchesReferenceOutput(r, ridge.expectedHex), true, "the proven sums and score are the reference's, bit for bit");
    assert.deepEqual(r.score, scoreOf(ridge.bundle.output));
    assert.ok(r.proof_bytes! > 0 && r.prove_ms! > 0 && r.verify_ms! > 0 && r.setup_ms > 0);
    const data = commit("--testset", ridge.testSet);
    assert.equal((r.public_output as { data_commitment: string }).data_commitment, data);

    // A third party: the published model.bin, the owner's commitment, the claimed R².
    const claim = { r2: r.score!.r2!.toFixed(3) };
    const good = await verifyClaim({ zkvm: "ezkl", proof: ridge.proof, model: ridge.model, dataCommitment: data, claim });
    assert.ok(good.ok, good.reasons.join("; "));
    assert.equal(good.record!.public_output_hex, r.public_output_hex);

    const verify = (proof: string, model = ridge.bundle.output.modelCommitment, d = data) => server.run(hostArgs.verify(proof, model, d));
    const bytes = readFileSync(ridge.proof);
    const h = header(bytes);
    const flipped = Buffer.from(bytes);
    flipped[h.end + Math.floor((bytes.length - h.end) / 2)] ^= 0x01; // inside the halo2 proof bytes
    writeFileSync(join(dir, "flipped.proof"), flipped);
    assert.equal((await verify(join(dir, "flipped.proof"))).exitCode, 1, "a flipped proof byte must not verify");

    const instances = [...(h.json.instances as string[])];
    instances[1] = (BigInt(`0x${instances[1].match(/../g)!.reverse().join("")}`) - 1n).toString(16).padStart(64, "0").match(/../g)!.reverse().join("");
    writeFileSync(join(dir, "changed.proof"), withHeader(bytes, { ...h.json, instances })); // SSE one lower: a better score
    const changed = await verify(join(dir, "changed.proof"));
    assert.equal(changed.exitCode, 1, "a changed public output must not verify");
    assert.match(changed.record!.error!, /does not verify/);

    const wrongModel = await verify(ridge.proof, "00".repeat(32));
    assert.equal(wrongModel.exitCode, 1);
    assert.match(wrongModel.record!.error!, /model commitment mismatch/);
    // The binding itself: relabelled as another real model's proof, it meets that model's verifying key and fails.
    const linear = files("linear");
    const other = await server.run(hostArgs.prove({ input: linear.input, proof: linear.proof }));
    assert.equal(other.exitCode, 0, other.record?.error ?? other.stderrTail);
    const relabelled = join(dir, "relabelled.proof");
    writeFileSync(relabelled, withHeader(bytes, { ...h.json, model_commitment: linear.bundle.output.modelCommitment }));
    const wrongKey = await verify(relabelled, linear.bundle.output.modelCommitment);
    assert.equal(wrongKey.exitCode, 1, "a ridge proof must not verify as the linear model's");
    assert.match(wrongKey.record!.error!, /does not verify against model/);

    const otherSet = join(dir, "other.input.bin");
    writeFileSync(otherSet, vectors.find((v) => v.expectation.expect === "ok")!.vector.input);
    const wrongData = await verify(ridge.proof, ridge.bundle.output.modelCommitment, commit("--input", otherSet)); // another test set's real commitment
    assert.equal(wrongData.exitCode, 1);
    assert.match(wrongData.record!.error!, /data commitment mismatch/);
    const oneShot = await runHost(z, hostArgs.verify(ridge.proof, ridge.bundle.output.modelCommitment, data));
    assert.equal(oneShot.exitCode, 0, oneShot.record?.error ?? oneShot.stderrTail);
    assert.equal(oneShot.record!.keys, "cache");
    assert.equal(server.starts, 1, "every request above ran in the one server process");
  });
});
