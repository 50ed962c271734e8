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
// # 05 · Benchmarks
//
// Prove and verify cost by input size, zkVM and machine: the paper's figures. This notebook loads a finished sweep (`npm run paper` writes `outputs/sweeps/paper.jsonl`), or runs a small one when there is none. Sweep files from other machines (an ARM laptop, a GPU box) can be merged: list them in `MERGE`.
//
// Every point is a median over repetitions; bars span min to max. Failed runs, warm-ups and dev-mode runs are never plotted.

// %% tags=["parameters"]
// Parameters
const SWEEP_FILE = "outputs/sweeps/paper.jsonl"; // relative to the project root
const MERGE: string[] = [];                      // more sweep files, e.g. from other machines
const FALLBACK_PRESET = "tiny";                  // run this preset when SWEEP_FILE does not exist

// %%
import * as zk from "../dist/index.js";
import { existsSync } from "node:fs";
import { join } from "node:path";

// %%
let file = join(zk.PROJECT_ROOT, SWEEP_FILE);
if (!existsSync(file)) {
  file = join(zk.OUTPUTS_DIR, "sweeps", `notebook-${FALLBACK_PRESET}.jsonl`);
  console.log(`${SWEEP_FILE} not found: running (or resuming) the '${FALLBACK_PRESET}' sweep into ${file}`);
  const spec = zk.sweepPreset(FALLBACK_PRESET);
  spec.zkvms = spec.zkvms.filter((id) => zk.hostBuilt(zk.zkvm(id)));
  if (!spec.zkvms.length) {
    console.log(`no prover host is built here, so there is nothing to run: guests/build.sh builds them (about half an hour cold on 2 cores)`);
  } else {
    const { trained } = zk.runTraining();
    const result = await zk.runSweep(`notebook-${FALLBACK_PRESET}`, spec, { file, trained });
    if (result.failed) throw new Error(`${result.failed} run(s) failed: see ${file}`);
  }
}
const rows = zk.loadResults([file, ...MERGE.map((m) => join(zk.PROJECT_ROOT, m))].filter((f) => existsSync(f)));
if (!rows.length) console.log("no runs to summarize or plot: the tables and figures below are empty");
zk.showTable([...new Set(rows.map((r) => r.machine))].map((machine) => {
  const r = rows.find((x) => x.machine === machine)!;
  return { machine, arch: r.arch, cpu: r.cpu_model, cores: r.cores, "RAM GiB": r.ram_gib, gpu: r.gpu ?? "none", os: r.os, runs: rows.filter((x) => x.machine === machine).length };
}));

// %% [markdown]
// ## The claim, proven
// The model's score on the whole test set, proven once per zkVM (`npm run paper` asks for it; the tiny preset does not). `= published export` says the proof carries the commitments of `outputs/export/<model>/export.json`.

// %%
const claims = zk.claimRows(rows, zk.publishedClaims(zk.OUTPUTS_DIR));
if (!claims.length) console.log("no claim proofs in these sweeps: `npm run paper` proves the ridge model's whole test set on every zkVM");
for (const c of claims) console.log(zk.claimSentence(c));
zk.showTable(zk.claimTable(claims));

// %% [markdown]
// ## Summary
// One line per zkVM, proof kind and input size.

// %%
zk.showTable(zk.proofSummary(zk.groupProofs(rows)));

// %% [markdown]
// ## Workloads: which prover as the model grows
// Every model (linear and ridge: 8 terms per sample with the bias; poly-ridge of degree 2: 36; of degree 3: 120) at one n, each prover at its best (a zkVM with its SHA precompile). Work per sample is user cycles per sample for a zkVM and circuit rows per sample for EZKL. The figures below plot prove time, memory and proof size against it, and prove time with the precompile on and off.

// %%
const groups = zk.groupProofs(rows);
const rankings = zk.rankWorkloads(groups);
if (new Set(rankings.map((r) => r.model)).size < 2) console.log("fewer than two models proven at one size: `npm run paper` proves the workload ladder");
for (const c of zk.circuitCrossovers(rankings)) console.log(zk.crossoverSentence(c));
zk.showTable(zk.workloadTable(zk.ladderGroups(groups)));
zk.showTable(zk.precompileGains(groups).map((g) => ({ zkvm: g.zkvm, kind: g.proof_kind, model: g.model, n: g.n, "precompile s": g.precompile_ms / 1000, "software s": g.software_ms / 1000, ratio: g.ratio })), { digits: 2 });

// %% [markdown]
// ## Guest cycles
// Cycles grow linearly with the test set: a fixed cost (parsing, hashing the model, the final score) plus a cost per sample. `docs/guest-efficiency.md` compares the per-sample cost with an instruction lower bound.

// %%
zk.showTable(zk.cycleFits(rows));

// %% [markdown]
// ## Figures
// The same figures `npm run paper` writes to `outputs/figures/` as SVG and PNG.

// %%
for (const f of zk.benchFigures(rows)) zk.showFigure(f.figure);
