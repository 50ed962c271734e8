// The EZKL host (guests/ezkl) against the TypeScript reference, with real
// halo2 proofs. EZKL commits to the test set with a Poseidon hash, not SHA-256,
// so its public output is compared with the reference on every field but the
// data commitment, and that one with `commit`, the data owner's own hash.
// CI names it in ZKML_REQUIRE_ZKVMS (guests/build.sh --list), so a missing host fails.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { sizedInput } from "../../src/bench/sized-input.js";
import { writeGeneratedCsv } from "../../src/data/generate.js";
import { encodePublicOutput, scoreOf } from "../../src/export/reference.js";
import { readVectors } from "../../src/export/vectors.js";
import { SPEC_VECTORS_DIR } from "../../src/paths.js";
import { runTraining } from "../../src/pipeline.js";
import { hostArgs, hostBuilt, runHost } from "../../src/zkvm/driver.js";
import { matchesReferenceOutput } from "../../src/zkvm/record.js";
import { hostInfo, zkvm } from "../../src/zkvm/registry.js";
import { HostServer } from "../../src/zkvm/server.js";
import { verifyClaim } from "../../src/zkvm/verify.js";
import { tempDir } from "../helpers.js";

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

/** The header as the prover writes it (Python's json.dumps: ", " and ": "), the one encoding the host accepts. */
function canonicalHeader(json: Record<string, unknown>): string {
  const value = (v: unknown) => (Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(", ")}]` : JSON.stringify(v));
  return `{${Object.entries(json)
    .map(([k, v]) => `${JSON.stringify(k)}: ${value(v)}`)
    .join(", ")}}`;
}

function withHeader(bytes: Buffer, json: Record<string, unknown>, text = canonicalHeader(json)): Buffer {
  const { end } = header(bytes);
  const encoded = Buffer.from(text);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(encoded.length);
  return Buffer.concat([bytes.subarray(0, 8), size, encoded, bytes.subarray(end)]);
}

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const BUNDLE_FILES = ["model.bin", "settings.json", "srs", "verifier.json", "vk.key"];

/** A copy of a verifier bundle with some files replaced (new files: the
 *  bundle's SRS is a hard link to the prover's cached one, never written in
 *  place), its manifest's digests updated to match unless `damaged`, so that
 *  what fails is the verifier's own check of what the files mean. */
function tamperedBundle(from: string, to: string, replace: Record<string, string>, damaged = false): string {
  mkdirSync(to);
  for (const f of BUNDLE_FILES) copyFileSync(replace[f] ?? join(from, f), join(to, f));
  if (!damaged) {
    const manifest = JSON.parse(readFileSync(join(to, "verifier.json"), "utf8"));
    for (const f of Object.keys(replace)) manifest.files[f] = sha256(join(to, f));
    writeFileSync(join(to, "verifier.json"), JSON.stringify(manifest));
  }
  return to;
}

/** Every file under a directory. */
const filesUnder = (d: string) => (readdirSync(d, { recursive: true }) as string[]).filter((f) => statSync(join(d, f)).isFile());

describe("EZKL host", { skip: built ? false : `${z.binary} not built (guests/build.sh ezkl)` }, () => {
  const server = built ? new HostServer(z) : (null as unknown as HostServer);
  after(() => server?.close());

  test("info: a circuit prover with a Poseidon data commitment, every model kind, memory stated per terms", () => {
    const info = hostInfo(z);
    assert.equal(info.label, z.label);
    assert.equal(info.commitment_scheme, "poseidon");
    assert.deepEqual(info.build, { rustflags: null, target_cpu: null, target_features: [] }, "PyPI's wheel: no build flags of ours");
    assert.deepEqual(info.refused_model_kinds, []);
    const classes = new Set(info.prove_memory?.steps.map((s) => `${s.model_kind}:${s.terms}`));
    assert.deepEqual([...classes].sort(), ["affine:8", "polynomial:120", "polynomial:36"]);
  });

  const vectors = readVectors(SPEC_VECTORS_DIR);
  test("the circuit computes the reference's sums and score on every spec vector, affine and polynomial", async () => {
    const kinds = { affine: 0, polynomial: 0 };
    for (const { vector, expectation } of vectors.filter((v) => v.expectation.expect === "ok")) {
      const input = join(dir, `${vector.name}.input.bin`);
      writeFileSync(input, vector.input);
      const run = await server.run(hostArgs.execute(input));
      kinds[vector.input.readUInt32LE(16 + 8) === 2 ? "polynomial" : "affine"]++;
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
    assert.ok(kinds.affine >= 2 && kinds.polynomial >= 2, `vectors: ${JSON.stringify(kinds)}`);
  });

  test("bad input is refused with the spec's error name", async () => {
    const bad = vectors.find((v) => v.expectation.expect === "BadMagic")!;
    const input = join(dir, "bad.input.bin");
    writeFileSync(input, bad.vector.input);
    const run = await server.run(hostArgs.execute(input));
    assert.equal(run.exitCode, 1);
    assert.match(run.record!.error!, /BadMagic/);
  });

  /** Real n = 10 proofs of two models (ridge, linear) on one test set, made once for the tests below. */
  const files = (family: "ridge" | "linear", trained: ReturnType<typeof runTraining>["trained"]) => {
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
  let made: ReturnType<typeof makeProofs> | undefined;
  const proofs = () => (made ??= makeProofs());
  async function makeProofs() {
    const csv = join(dir, "small.csv");
    writeGeneratedCsv(csv, { transactions: 1500, seed: 11 });
    const { trained } = runTraining({ input: csv });
    const ridge = files("ridge", trained);
    const linear = files("linear", trained);
    const proved = await server.run(hostArgs.prove({ input: ridge.input, proof: ridge.proof }));
    assert.equal(proved.exitCode, 0, proved.record?.error ?? proved.stderrTail);
    const other = await server.run(hostArgs.prove({ input: linear.input, proof: linear.proof }));
    assert.equal(other.exitCode, 0, other.record?.error ?? other.stderrTail);
    return { ridge, linear, proved: proved.record!, data: commit("--testset", ridge.testSet) };
  }

  test("a real proof verifies for a third party, and tampering, a wrong model or a wrong data commitment is rejected", async () => {
    const { ridge, linear, proved: r, data } = await proofs();
    assert.equal(r.dev_mode, false);
    assert.equal(matchesReferenceOutput(r, ridge.expectedHex), true, "the proven sums and score are the reference's, bit for bit");
    assert.deepEqual(r.score, scoreOf(ridge.bundle.output));
    assert.ok(r.proof_bytes! > 0 && r.prove_ms! > 0 && r.verify_ms! > 0 && r.setup_ms > 0);
    assert.equal((r.public_output as { data_commitment: string }).data_commitment, data);

    // A third party: the published model.bin, the owner's commitment, the claimed R².
    const claim = { r2: r.score!.r2!.toFixed(3) };
    const good = await verifyClaim({ zkvm: "ezkl", proof: ridge.proof, model: ridge.model, dataCommitment: data, claim });
    assert.ok(good.ok, good.reasons.join("; "));
    assert.equal(good.record!.public_output_hex, r.public_output_hex);
    // A PASS on the prover's own SRS says what it rests on; an SRS the verifier trusts takes the caveat away.
    assert.equal(good.caveats.length, 1);
    assert.match(good.caveats[0], /generated by the prover .*not a trusted setup.*--trusted-srs/);
    const srsCopy = join(dir, "ridge-trusted-by-cli.srs");
    copyFileSync(join(`${ridge.proof}.verifier`, "srs"), srsCopy);
    const vouched = await verifyClaim({
      zkvm: "ezkl",
      proof: ridge.proof,
      model: ridge.model,
      dataCommitment: data,
      claim,
      hostOptions: { "--trusted-srs": srsCopy },
    });
    assert.ok(vouched.ok && vouched.caveats.length === 0, vouched.reasons.join("; "));
    if (hostBuilt(zkvm("risc0")))
      await assert.rejects(
        verifyClaim({ zkvm: "risc0", proof: ridge.proof, model: ridge.model, dataCommitment: data, claim, hostOptions: { "--trusted-srs": srsCopy } }),
        /--trusted-srs is not an option of the risc0 verifier/,
      );

    // Tampered copies of the proof file are checked with the original's bundle.
    const ridgeBundle = `${ridge.proof}.verifier`;
    const verify = (proof: string, model = ridge.bundle.output.modelCommitment, d = data, bundle = ridgeBundle) =>
      server.run([...hostArgs.verify(proof, model, d), "--verifier", bundle]);
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
    const relabelled = join(dir, "relabelled.proof");
    writeFileSync(relabelled, withHeader(bytes, { ...h.json, model_commitment: linear.bundle.output.modelCommitment }));
    const wrongKey = await verify(relabelled, linear.bundle.output.modelCommitment, data, `${linear.proof}.verifier`);
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
  });

  test("a third party verifies from the published bundle alone, on a clean machine; a bundle that does not bind the model or the setup FAILs", async () => {
    const { ridge, linear, proved, data } = await proofs();
    const m = ridge.bundle.output.modelCommitment;
    const ridgeBundle = `${ridge.proof}.verifier`;
    const linearBundle = `${linear.proof}.verifier`;
    assert.deepEqual(readdirSync(ridgeBundle).sort(), BUNDLE_FILES);
    const manifest = JSON.parse(readFileSync(join(ridgeBundle, "verifier.json"), "utf8"));
    assert.equal(manifest.n, 10);
    assert.equal(manifest.files["model.bin"], m);
    assert.equal(manifest.files["vk.key"], proved.program_id, "the record's program_id is the verifying key's SHA-256");
    assert.match(manifest.srs_origin, /generated by the prover .*not a trusted setup/);
    const untrusted = { srs_sha256: manifest.files.srs, srs_origin: manifest.srs_origin, trusted: false };
    assert.deepEqual(proved.setup_trust, untrusted);

    // A clean machine: an empty cache, nothing but the proof, its bundle and the two commitments.
    const clean = tempDir();
    const cold = await runHost(z, hostArgs.verify(ridge.proof, m, data), { env: { ZKML_CACHE: clean } });
    assert.equal(cold.exitCode, 0, cold.record?.error ?? cold.stderrTail);
    assert.equal(cold.record!.keys, "generated", "the verifying key was derived from model.bin here");
    assert.equal(cold.record!.program_id, proved.program_id, "and it is the prover's");
    assert.equal(cold.record!.public_output_hex, proved.public_output_hex);
    assert.deepEqual(cold.record!.setup_trust, untrusted);
    assert.deepEqual(
      filesUnder(clean).filter((f) => f.endsWith("pk.key")),
      [],
      "a verifier keeps no proving key",
    );
    const warm = await runHost(z, hostArgs.verify(ridge.proof, m, data), { env: { ZKML_CACHE: clean } });
    assert.equal(warm.exitCode, 0, warm.record?.error ?? warm.stderrTail);
    assert.equal(warm.record!.keys, "cache");

    const lonely = join(dir, "lonely");
    mkdirSync(lonely);
    copyFileSync(ridge.proof, join(lonely, "ridge.proof"));
    const missing = await server.run(hostArgs.verify(join(lonely, "ridge.proof"), m, data));
    assert.equal(missing.exitCode, 1);
    assert.match(missing.record!.error!, /no verifier bundle at \S*lonely\/ridge\.proof\.verifier/);

    const verify = (bundle: string, extra: string[] = []) => server.run([...hostArgs.verify(ridge.proof, m, data), "--verifier", bundle, ...extra]);
    const fails = async (bundle: string, reason: RegExp, what: string, extra: string[] = []) => {
      const run = await verify(bundle, extra);
      assert.equal(run.exitCode, 1, what);
      assert.match(run.record!.error!, reason, what);
      return run.record!;
    };
    const vkReason = /the published verifying key is not the key model \w+ compiles to/;
    await fails(tamperedBundle(ridgeBundle, join(dir, "b-vk"), { "vk.key": join(linearBundle, "vk.key") }), vkReason, "another model's verifying key");
    await fails(
      tamperedBundle(ridgeBundle, join(dir, "b-model"), { "model.bin": join(linearBundle, "model.bin") }),
      /the bundle's model\.bin is not model \w+ \(its SHA-256 is/,
      "another model's model.bin",
    );
    await fails(
      tamperedBundle(ridgeBundle, join(dir, "b-damaged"), { "vk.key": join(linearBundle, "vk.key") }, true),
      /vk\.key does not match the manifest/,
      "a file that is not the manifest's",
    );

    // Another prover: its own gen_srs output, so another SRS and other keys for the same model.
    const otherProof = join(dir, "ridge-other.proof");
    const otherCache = tempDir();
    const second = await runHost(z, hostArgs.prove({ input: ridge.input, proof: otherProof }), { env: { ZKML_CACHE: otherCache } });
    assert.equal(second.exitCode, 0, second.record?.error ?? second.stderrTail);
    rmSync(otherCache, { recursive: true, force: true }); // its proving key (42 MB); the bundle's SRS is a hard link or a copy
    const otherBundle = `${otherProof}.verifier`;
    assert.notEqual(second.record!.setup_trust!.srs_sha256, manifest.files.srs, "two gen_srs runs, two SRSs");
    await fails(tamperedBundle(ridgeBundle, join(dir, "b-srs"), { srs: join(otherBundle, "srs") }), vkReason, "another SRS under the same key");
    await fails(
      tamperedBundle(ridgeBundle, join(dir, "b-setup"), { srs: join(otherBundle, "srs"), "vk.key": join(otherBundle, "vk.key") }),
      /does not verify against model/,
      "another setup, consistent in itself, is not the one the proof was made with",
    );

    // A verifier who trusts an SRS file: the bundle's must be byte-identical to it.
    const trustedSrs = join(dir, "trusted.srs");
    const otherSrs = join(dir, "other.srs");
    copyFileSync(join(ridgeBundle, "srs"), trustedSrs);
    copyFileSync(join(otherBundle, "srs"), otherSrs);
    const distrusted = await fails(ridgeBundle, /the bundle's SRS is not the trusted SRS \S*other\.srs/, "a bundle SRS other than the trusted one", [
      "--trusted-srs",
      otherSrs,
    ]);
    assert.equal(distrusted.setup_trust!.trusted, false);
    const trusted = await verify(ridgeBundle, ["--trusted-srs", trustedSrs]);
    assert.equal(trusted.exitCode, 0, trusted.record?.error ?? trusted.stderrTail);
    assert.equal(trusted.record!.setup_trust!.trusted, true);
    assert.match(trusted.record!.setup_trust!.srs_origin, /trusted SRS trusted\.srs/);

    // A supplied SRS (a ceremony's, in real use): its keys sit beside the generated SRS's, which stay cached.
    const supplied = join(dir, "ridge-supplied.proof");
    const withSrs = await server.run([...hostArgs.prove({ input: ridge.input, proof: supplied }), "--srs", otherSrs]);
    assert.equal(withSrs.exitCode, 0, withSrs.record?.error ?? withSrs.stderrTail);
    assert.deepEqual(withSrs.record!.setup_trust, { srs_sha256: sha256(otherSrs), srs_origin: "supplied by the prover: other.srs", trusted: false });
    const vouched = await server.run([...hostArgs.verify(supplied, m, data), "--trusted-srs", otherSrs]);
    assert.equal(vouched.exitCode, 0, vouched.record?.error ?? vouched.stderrTail);
    assert.equal(vouched.record!.setup_trust!.trusted, true);
    const again = await server.run(hostArgs.prove({ input: ridge.input, proof: supplied }));
    assert.equal(again.exitCode, 0, again.record?.error ?? again.stderrTail);
    assert.equal(again.record!.keys, "cache", "the generated SRS's keys were not replaced by the supplied SRS's");
    assert.match(
      JSON.parse(readFileSync(join(`${supplied}.verifier`, "verifier.json"), "utf8")).srs_origin,
      /generated by the prover/,
      "the old bundle replaced",
    );
  });

  test("a proof file is accepted only as the prover writes it: appended bytes, a duplicated proof, a re-serialized header FAIL", async () => {
    const { ridge, data } = await proofs();
    const m = ridge.bundle.output.modelCommitment;
    const bytes = readFileSync(ridge.proof);
    const h = header(bytes);
    const proof = bytes.subarray(h.end);
    const fails = async (name: string, content: Buffer, reason: RegExp) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      const run = await server.run([...hostArgs.verify(path, m, data), "--verifier", `${ridge.proof}.verifier`]);
      assert.equal(run.exitCode, 1, name);
      assert.match(run.record!.error!, reason, name);
    };
    await fails("appended.proof", Buffer.concat([bytes, Buffer.from([0])]), /^1 byte after the proof: EZKL's verifier reads \d+ of the file's \d+ proof bytes/);
    await fails("appended64.proof", Buffer.concat([bytes, Buffer.alloc(64, 7)]), /^64 bytes after the proof/);
    await fails("twice.proof", Buffer.concat([bytes, proof]), new RegExp(`^${proof.length} bytes after the proof \\(the proof bytes twice\\)`));
    await fails("compact.proof", withHeader(bytes, h.json, JSON.stringify(h.json)), /the header is not in the canonical form the prover writes/);
    await fails("indented.proof", withHeader(bytes, h.json, JSON.stringify(h.json, null, 2)), /the header is not in the canonical form/);
    const upper = (h.json.instances as string[]).map((x, i) => (i === 0 ? x.toUpperCase() : x));
    await fails("upper.proof", withHeader(bytes, { ...h.json, instances: upper }), /public input 0 is not 64 lowercase hex digits/);
    const long = Buffer.from(bytes);
    long.writeUInt32LE(bytes.length, 8);
    await fails("long-header.proof", long, /the header length field says \d+ bytes, but only \d+ follow it/);
    assert.equal(server.starts, 1, "every request above ran in the one server process");
  });
});
