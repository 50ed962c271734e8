// -*- coding: utf-8 -*-
// ---
// jupyter:
//   jupytext:
//     formats: ipynb,ts:percent
//     text_representation:
//       extension: .ts
//       format_name: percent
//       format_version: '1.3'
//       jupytext_version: 1.17.3
//   kernelspec:
//     display_name: TypeScript
//     language: typescript
//     name: tslab
// ---

// %% [markdown]
// # 04 · Prove and verify
//
// One claim, end to end. A data owner trains a model, then proves inside a zkVM that the model reaches a score on a test set that never leaves their machine. Anyone can check the proof with three public things: the **model commitment** (SHA-256 of the published `model.bin`), the **data commitment** (SHA-256 of the private `testset.bin`, published by the data owner), and the **claimed score**.
//
// The proofs here are real (no dev mode): each built zkVM's default proof kind (RISC Zero composite receipts, SP1 core proofs, OpenVM app proofs; EZKL, a circuit compiler with its own data commitment, is in notebook 05's benchmarks), made on this machine by the hosts in `guests/` (`guests/build.sh` builds them).

// %% tags=["parameters"]
// Parameters
const INPUT: string | undefined = undefined; // a transaction CSV; the embedded default data when undefined
const MODEL = "ridge" as const;
// Test samples proven here: a demo-sized draw of the held-out customers, so the
// notebook runs in minutes (100 still fits RISC Zero's smallest proof, 2^16
// cycles). Use "all" to prove the full test set (the claim a data owner
// would publish; about ten minutes per zkVM on a 2-core machine).
const SAMPLES: number | "all" = 100;
const FRAC_BITS = 16;
// The zkVMs to prove on: "all" built hosts, "smoke" the quick ones of the zkVM table (CI), or a list of ids such as ["risc0"].
const PROVE_ON: string[] | "all" | "smoke" = "all";

// %%
import * as zk from "../dist/index.js";
import { join } from "node:path";
import { mkdirSync } from "node:fs";

// %% [markdown]
// ## Train and export
// The data owner's side: train on their data, quantize the model and the test set (`spec/FORMAT.md`), and compute with the TypeScript reference what the guest must output.

// %%
const { trained } = zk.runTraining({ input: INPUT });
const n = SAMPLES === "all" ? trained.test.y.length : Math.min(SAMPLES, trained.test.y.length);
const test = zk.resample(trained.test, n, 1);
const bundle = zk.buildExport(trained.models[MODEL], test, trained.target, FRAC_BITS);
const dir = join(zk.OUTPUTS_DIR, "prove-and-verify");
mkdirSync(dir, { recursive: true });
zk.writeExport(dir, trained.models[MODEL], bundle, trained.target);
const expected = bundle.output;
zk.showTable([
  { what: "model", value: MODEL },
  { what: "test samples", value: n },
  { what: "model commitment (published)", value: expected.modelCommitment },
  { what: "data commitment (published)", value: expected.dataCommitment },
  { what: "R² (fixed point, what the guest computes)", value: zk.scoreOf(expected).r2 },
  { what: "R² (float model)", value: bundle.floatMetrics.r2 },
]);

// %% [markdown]
// ## Prove on each zkVM
// Each host executes the guest, proves the execution, writes the proof file and checks it once. One long-lived host per zkVM (`HostServer`, the hosts' `serve` mode) answers every request of this notebook, so the zkVM's setup (keys, prover) is paid once and shown apart; peak memory is the host's own high-water mark during the request.

// %%
// "all": every built zkVM; EZKL (kind circuit) commits with Poseidon, not SHA-256: guests/ezkl/README.md
const wanted =
  PROVE_ON === "all" || PROVE_ON === "smoke"
    ? zk.ZKVMS.filter((z) => z.kind === "zkvm" && (PROVE_ON === "all" || z.smoke)) // "smoke": the zkVM table's quick ones
    : PROVE_ON.map(zk.zkvm); // zk.zkvm throws for an unknown id
const chosen = wanted.filter((z) => zk.hostBuilt(z));
const unbuilt = wanted.filter((z) => !zk.hostBuilt(z));
if (unbuilt.length)
  console.log(`not proven here, host not built: ${unbuilt.map((z) => z.label).join(", ")}; run guests/build.sh ${unbuilt.map((z) => z.id).join(" ")} (about half an hour cold on 2 cores, docs/build-times.md), then rerun this notebook`);
const servers = chosen.map((z) => new zk.HostServer(z));
const proofs: { zkvm: string; proof: string; server: zk.HostServer }[] = [];
const rows = [];
for (const server of servers) {
  const z = server.zkvm;
  const proof = join(dir, `${z.id}.proof`);
  const run = await server.run(zk.hostArgs.prove({ input: join(dir, "input.bin"), proof }));
  const failure = zk.runFailure(run);
  if (failure) throw new Error(`${z.label}: ${failure}`);
  const r = run.record!;
  proofs.push({ zkvm: z.id, proof, server });
  rows.push({
    zkVM: `${z.label} ${r.zkvm_version}`, kind: r.proof_kind, [zk.headerOf("total_cycles")]: r.total_cycles,
    // Headers and units from the one column list (src/bench/columns.ts, spec/tidy-row.schema.json).
    [zk.headerOf("setup_ms")]: zk.shown("setup_ms", run.setupMs! + r.setup_ms, 1), [zk.headerOf("prove_ms")]: zk.shown("prove_ms", r.prove_ms, 1),
    [zk.headerOf("verify_ms")]: zk.shown("verify_ms", r.verify_ms, 1), [zk.headerOf("proof_bytes")]: zk.shown("proof_bytes", r.proof_bytes, 0),
    [zk.headerOf("peak_rss_host_bytes")]: zk.shown("peak_rss_host_bytes", Math.max(r.peak_rss_bytes, run.peakRssExternalBytes ?? 0), 0),
    "same output as the reference": r.public_output_hex === zk.encodePublicOutput(expected).toString("hex"),
  });
}
if (rows.length) zk.showTable(rows);

// %% [markdown]
// ## The verifier's side
// A third party gets the proof file, the published `model.bin` (or its commitment), the data commitment and the claimed R². `zkml verify` (here `verifyClaim`) passes only if the zkVM accepts the proof for the zkml-bench guest, the commitments inside it equal the published ones (it never trusts the ones in the proof alone), and the proven score is the claimed one.
//
// "The claimed one" is exact: a claim is checked at its own decimals, and it must state at least three. `R² 0.293` accepts a proven 0.2925 to 0.2935; `R² 0.3` would accept anything from 0.25 to 0.35, a whole range of models, so it is refused before any proof is looked at (or it names a `--tolerance` of at most 0.0005).

// %%
const claimedR2 = zk.scoreOf(expected).r2!.toFixed(3);
for (const text of [claimedR2, Number(claimedR2).toFixed(1)]) {
  try {
    const c = zk.parseClaim("r2", text);
    console.log(`claimed R² ${text}: accepts a proven R² in [${c.low}, ${c.high}]`);
  } catch (err) {
    if (!(err instanceof zk.ClaimUsageError)) throw err;
    console.log(`claimed R² ${text}: refused, ${err.message}`);
  }
}
const modelBin = join(dir, "model.bin");
const checks = [];
for (const { zkvm, proof, server } of proofs) {
  const cases = [
    { case: `honest claim: R² ${claimedR2}`, model: modelBin, data: expected.dataCommitment, r2: claimedR2 },
    { case: "inflated claim: R² + 0.05", model: modelBin, data: expected.dataCommitment, r2: (Number(claimedR2) + 0.05).toFixed(3) },
    { case: "another test set's commitment", model: modelBin, data: "0".repeat(64), r2: claimedR2 },
    { case: "another model's commitment", model: zk.sha256Hex(Buffer.from("another model")), data: expected.dataCommitment, r2: claimedR2 },
  ];
  for (const c of cases) {
    const outcome = await zk.verifyClaim({ zkvm, proof, model: c.model, dataCommitment: c.data, claim: { r2: c.r2 }, server });
    checks.push({ zkVM: zkvm, case: c.case, verdict: outcome.ok ? "PASS" : "FAIL", reason: outcome.reasons.join("; ") || "—" });
  }
}
if (checks.length) zk.showTable(checks);
else console.log("no proofs above, so nothing to verify");

// %%
// The honest claim passes on every zkVM; every altered one fails.
const wrong = checks.filter((c) => (c.verdict === "PASS") !== c.case.startsWith("honest"));
if (wrong.length) throw new Error(`unexpected verdicts: ${JSON.stringify(wrong)}`);
for (const server of servers) await server.close();

// %% [markdown]
// The same check from a shell, for anyone holding the proof:
//
// ```
// npx zkml verify --zkvm risc0 --proof outputs/prove-and-verify/risc0.proof \
//   --model outputs/prove-and-verify/model.bin --data-commitment <hex> --r2 <claimed>
// ```
