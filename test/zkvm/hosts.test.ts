// The zkVM hosts against the TypeScript reference, with real proofs.
// Runs for every host that guests/build.sh built. CI names the zkVMs it built
// in ZKML_REQUIRE_ZKVMS, so a missing host there fails instead of skipping.
// Each zkVM's requests go through one long-lived host (`serve`), so its setup
// is paid once; the one-shot CLI is checked where a third party uses it (verify).
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { buildExport, writeExport } from "../../src/export/write.js";
import { encodePublicOutput } from "../../src/export/reference.js";
import { readVectors } from "../../src/export/vectors.js";
import { SPEC_VECTORS_DIR } from "../../src/paths.js";
import { runTraining } from "../../src/pipeline.js";
import { sizedInput } from "../../src/bench/sized-input.js";
import { hostBuilt, runHost } from "../../src/zkvm/driver.js";
import { HostServer } from "../../src/zkvm/server.js";
import { ZKVMS, hostInfo } from "../../src/zkvm/registry.js";
import { writeGeneratedCsv } from "../../src/data/generate.js";
import { defaultHostCpu, tempDir } from "../helpers.js";

const required = (process.env.ZKML_REQUIRE_ZKVMS ?? "").split(",").filter(Boolean);
const vectors = readVectors(SPEC_VECTORS_DIR);
const dir = tempDir();

/** The models trained on a small generated log (about 60 test customers), trained once. */
let smallTraining: ReturnType<typeof runTraining>["trained"] | undefined;
function trainedSmall() {
  if (!smallTraining) {
    const csv = join(dir, "small.csv");
    writeGeneratedCsv(csv, { transactions: 1500, seed: 11 });
    smallTraining = runTraining({ input: csv }).trained;
  }
  return smallTraining;
}

/** A small real export: ridge on the small generated log. */
function smallExport(): { dir: string; modelCommitment: string; dataCommitment: string; outputHex: string } {
  const trained = trainedSmall();
  const bundle = buildExport(trained.models.ridge, trained.test, trained.target, 16);
  const out = join(dir, "export");
  writeExport(out, trained.models.ridge, bundle, trained.target);
  return {
    dir: out,
    modelCommitment: bundle.output.modelCommitment,
    dataCommitment: bundle.output.dataCommitment,
    outputHex: encodePublicOutput(bundle.output).toString("hex"),
  };
}

function flipByte(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] ^= 0x01;
  return copy;
}

// EZKL, a circuit with a Poseidon data commitment, has its own: test/ezkl.test.ts.
for (const z of ZKVMS.filter((z) => z.kind === "zkvm")) {
  const built = hostBuilt(z);
  if (!built && required.includes(z.id)) throw new Error(`ZKML_REQUIRE_ZKVMS names ${z.id}, but ${z.binary} was not built`);

  describe(`${z.label} host`, { skip: built ? false : `${z.binary} not built (guests/build.sh ${z.id})` }, () => {
    const server = built ? new HostServer(z) : (null as unknown as HostServer);
    after(() => server?.close());

    test("the host describes itself (info) as the zkVM table names it", () => {
      const info = hostInfo(z);
      assert.equal(info.zkvm, z.id);
      assert.equal(info.label, z.label);
      assert.ok(info.zkvm_version && info.isa && info.proof_kinds.every((k) => k.kind && k.what));
      // guests/build.sh builds for the CPU the zkVM's build.env names, else portable.
      assert.equal(typeof info.build.rustflags, "string");
      const cpu = defaultHostCpu(z.id);
      assert.equal(info.build.target_cpu, cpu);
      if (cpu === null && process.arch === "x64") assert.ok(!info.build.target_features.includes("avx2"), "the x86-64 baseline assumes no AVX2");
      if (cpu === "native") assert.match(info.build.rustflags!, /-C target-cpu=native/);
    });

    test("one long-lived host serves every request, its setup paid once", async () => {
      const ready = await server.start();
      assert.equal(ready.command, "serve");
      assert.equal(ready.zkvm, z.id);
      assert.ok(ready.setup_ms > 0 && ready.program_id.length > 0);
    });

    for (const { vector, expectation } of vectors.filter((v) => v.expectation.expect === "ok")) {
      test(`guest output equals the reference on vector ${vector.name} (precompile and software SHA)`, async () => {
        const input = join(dir, `${vector.name}.input.bin`);
        writeFileSync(input, vector.input);
        for (const sha of ["precompile", "software"]) {
          const run = await server.run(["execute", "--input", input, "--sha", sha]);
          assert.equal(run.exitCode, 0, run.record?.error ?? run.stderrTail);
          assert.equal(run.record!.public_output_hex, expectation.public_output_hex);
          assert.ok(run.record!.user_cycles! > 0 && run.record!.total_cycles! >= run.record!.user_cycles!);
        }
      });
    }

    test("bad input is refused with the spec's error name", async () => {
      const bad = vectors.find((v) => v.expectation.expect === "BadMagic")!;
      const input = join(dir, "bad.input.bin");
      writeFileSync(input, bad.vector.input);
      const run = await server.run(["execute", "--input", input]);
      assert.equal(run.exitCode, 1);
      assert.match(run.record!.error!, /BadMagic/);
    });

    if (z.id === "openvm")
      test("segments bound the prover's memory: n = 40,000 executes as three or more segments, not one that passes 23 GiB", async () => {
        const trained = trainedSmall();
        // 3.8 M cycles at the guest's 95 per sample (n = 20,000 was 3.4 M at 169 before the unrolled loops).
        const bundle = sizedInput(trained.models.ridge, trained.test, trained.target, 40_000, 16);
        const input = join(dir, "n40000.input.bin");
        writeFileSync(input, bundle.input);
        const run = await server.run(["execute", "--input", input]);
        assert.equal(run.exitCode, 0, run.record?.error ?? run.stderrTail);
        assert.equal(run.record!.public_output_hex, encodePublicOutput(bundle.output).toString("hex"));
        // OpenVM's default cut (15 GiB estimated) made it one segment, 8 GiB two:
        // both were killed on a 24 GiB machine (SEGMENT_MAX_MEMORY in the host).
        assert.ok(run.record!.segments! >= 3, `n = 40,000 in ${run.record!.segments} segment(s), ${run.record!.total_cycles} cycles`);
      });

    test("proof kinds that cannot be made here are refused up front (exit 2), with the reason info gives", async () => {
      const refused = hostInfo(z).refused_kinds;
      for (const { kind, why } of refused) {
        const run = await server.run(["prove", "--input", join(dir, "none.bin"), "--proof", join(dir, "none.proof"), "--kind", kind]);
        assert.equal(run.exitCode, 2);
        assert.ok(run.record!.error!.includes(`not available here: ${why}`), run.record!.error!);
      }
      const unknown = await server.run(["prove", "--input", join(dir, "none.bin"), "--proof", join(dir, "none.proof"), "--kind", "no-such-kind"]);
      assert.equal(unknown.exitCode, 2);
      assert.match(
        unknown.record!.error!,
        new RegExp(
          `available: ${hostInfo(z)
            .proof_kinds.map((k) => k.kind)
            .join(", ")}`,
        ),
      );
    });

    if (z.id === "risc0")
      test("a dev-mode receipt never verifies, whatever RISC0_DEV_MODE says; allowed, it exits 3 saying nothing was proven", async () => {
        const e = smallExport();
        const fake = join(dir, "risc0.dev-mode.proof");
        const devMode = { RISC0_DEV_MODE: "1" };
        const proved = await runHost(z, ["prove", "--input", join(e.dir, "input.bin"), "--proof", fake], { env: devMode });
        assert.equal(proved.exitCode, 0, proved.record?.error ?? proved.stderrTail);
        assert.equal(proved.record!.dev_mode, true, "the prover's record says its receipt is fake");
        const args = ["verify", "--proof", fake, "--model-commitment", e.modelCommitment, "--data-commitment", e.dataCommitment];
        for (const env of [{}, devMode]) {
          const refused = await runHost(z, args, { env });
          assert.equal(refused.exitCode, 1, JSON.stringify(env));
          assert.match(refused.record!.error!, /dev-mode \(fake\) receipt: it proves nothing/);
        }
        const allowed = await runHost(z, [...args, "--allow-dev-mode"]);
        assert.equal(allowed.exitCode, 3);
        assert.equal(allowed.record!.ok, false);
        assert.equal(allowed.record!.dev_mode, true);
        assert.match(allowed.record!.error!, /nothing was proven/);
        assert.equal(allowed.record!.public_output_hex, e.outputHex, "its output was read and its commitments checked");
      });

    // The default proof kind always; the others (aggregations: minutes each on
    // 2 cores) when ZKML_PROVE_ALL_KINDS=1, shown as skipped otherwise.
    const kinds = built ? hostInfo(z).proof_kinds.map((k) => k.kind) : [];
    for (const [i, kind] of kinds.entries()) {
      const skip = i > 0 && process.env.ZKML_PROVE_ALL_KINDS !== "1" ? `not the default kind: set ZKML_PROVE_ALL_KINDS=1 to prove it too` : false;
      test(`a real ${kind} proof verifies, and tampering or wrong commitments are rejected`, { skip }, () => proveAndTamper(kind));
    }

    async function proveAndTamper(kind: string) {
      const e = smallExport();
      const proof = join(dir, `${z.id}.${kind}.proof`);
      const proved = await server.run(["prove", "--input", join(e.dir, "input.bin"), "--proof", proof, "--kind", kind]);
      assert.equal(proved.exitCode, 0, proved.record?.error ?? proved.stderrTail);
      const r = proved.record!;
      assert.equal(r.proof_kind, kind);
      assert.equal(r.dev_mode, false, "a dev-mode run is not a proof");
      assert.equal(r.public_output_hex, e.outputHex);
      assert.ok(r.proof_bytes! > 0 && r.prove_ms! > 0 && r.verify_ms! > 0);

      const verifyArgs = (proofFile: string, model = e.modelCommitment, data = e.dataCommitment) => [
        "verify",
        "--proof",
        proofFile,
        "--model-commitment",
        model,
        "--data-commitment",
        data,
      ];
      const verify = (...a: Parameters<typeof verifyArgs>) => server.run(verifyArgs(...a));
      // A third party verifies with the one-shot CLI (one process, its own setup).
      const good = await runHost(z, verifyArgs(proof));
      assert.equal(good.exitCode, 0, good.record?.error ?? good.stderrTail);
      assert.equal(good.record!.exit_code, 0);
      // Keys the server derived (or loaded) are in the key cache for every later process.
      const cacheOn = process.env.ZKML_KEY_CACHE !== "off";
      assert.equal(good.record!.keys, server.ready!.keys === null ? null : cacheOn ? "cache" : "generated");
      assert.equal(good.record!.program_id, server.ready!.program_id);
      assert.equal(good.record!.public_output_hex, e.outputHex);

      const bytes = readFileSync(proof);
      const flipped = join(dir, `${z.id}.${kind}.flipped.proof`);
      writeFileSync(flipped, flipByte(bytes, Math.floor(bytes.length / 2)));
      const badProof = await verify(flipped);
      assert.equal(badProof.exitCode, 1, "a flipped proof byte must not verify");

      const at = bytes.indexOf(Buffer.from(e.outputHex, "hex"));
      assert.ok(at >= 0, "the public output is stored in the proof file");
      const changed = join(dir, `${z.id}.${kind}.changed-output.proof`);
      writeFileSync(changed, flipByte(bytes, at + 150)); // inside the R² field
      const badOutput = await verify(changed);
      assert.equal(badOutput.exitCode, 1, "a changed public output must not verify");

      // bitcode (OpenVM's app proofs) rejects trailing bytes itself, with one error for every decoding failure.
      const afterProof = (n: number) =>
        z.id === "openvm" && kind === "app"
          ? /not an OpenVM app proof: .*has bytes after the proof/
          : new RegExp(`: ${n} bytes after the .*: a proof file must end where its proof does`);
      // One claim, one file: bytes after the proof, the proof twice, or the
      // proof cut short are rejected (the proof still decodes from the first two).
      const strict: [string, Buffer, RegExp][] = [
        ["appended", Buffer.concat([bytes, Buffer.alloc(16)]), afterProof(16)],
        ["duplicated", Buffer.concat([bytes, bytes]), afterProof(bytes.length)],
        ["truncated", bytes.subarray(0, bytes.length - 1), /./],
        ["empty", Buffer.alloc(0), /./],
      ];
      for (const [name, content, reason] of strict) {
        const file = join(dir, `${z.id}.${kind}.${name}.proof`);
        writeFileSync(file, content);
        const run = await verify(file);
        assert.equal(run.exitCode, 1, `a ${name} proof file must not verify`);
        assert.match(run.record!.error!, reason, name);
      }

      const wrongModel = await verify(proof, "00".repeat(32));
      assert.equal(wrongModel.exitCode, 1);
      assert.match(wrongModel.record!.error!, /model commitment mismatch/);
      const wrongData = await verify(proof, e.modelCommitment, "ff".repeat(32));
      assert.equal(wrongData.exitCode, 1, "the one-shot exit code the record carries");
      assert.match(wrongData.record!.error!, /data commitment mismatch/);
      assert.equal(server.starts, 1, "every request above ran in the one server process");
    }
  });
}
