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
// # 03 · Quantized export
//
// A zkVM guest computes in integers. Each model and the test set are converted to fixed point with `F` fraction bits (`spec/FORMAT.md`), and the TypeScript reference (`src/export/reference.ts`) runs the exact integer inference and scoring a guest will run, including the SHA-256 commitments to the model bytes and the test-set bytes. The guests must reproduce its public output bit for bit.

// %% tags=["parameters"]
// Parameters
const INPUT: string | undefined = undefined;
const FRAC_BITS = 16;

// %%
import * as zk from "../dist/index.js";
import { join } from "node:path";

// %%
const { trained } = zk.runTraining({ input: INPUT });
// The notebook's own export set, published whole like the CLI's (which stays in outputs/export).
const EXPORT_DIR = join(zk.OUTPUTS_DIR, "notebooks", "export");
let exported: { family: zk.ModelFamily; bundle: zk.ExportBundle; manifest: zk.ExportManifest }[] = [];
zk.publishExportSet(EXPORT_DIR, (set) => {
  exported = zk.MODEL_FAMILIES.map((family) => {
    const bundle = zk.buildExport(trained.models[family], trained.test, trained.target, FRAC_BITS);
    const manifest = zk.writeExport(join(set, family), trained.models[family], bundle, trained.target, zk.claimContext(trained, family));
    return { family, bundle, manifest };
  });
});
zk.showTable(exported.map(({ family, bundle, manifest }) => ({
  model: family, samples: bundle.output.nSamples, "model bytes": bundle.model.length, "test-set bytes": bundle.testSet.length,
  "R² float": manifest.score_float.r2, "R² fixed": manifest.score_fixed_point.r2, "MSE fixed": manifest.score_fixed_point.mse,
})));

// %% [markdown]
// ## The public claim
// What a guest will publish for each model: the two commitments and the score. The test set itself stays private.

// %%
for (const { family, bundle } of exported) {
  const o = bundle.output;
  console.log(family);
  zk.showTable([
    { field: "model commitment (SHA-256 of model.bin)", value: o.modelCommitment },
    { field: "data commitment (SHA-256 of testset.bin)", value: o.dataCommitment },
    { field: "samples", value: o.nSamples },
    { field: `R² (Q${o.fracBits} integer → real)`, value: `${o.r2} → ${zk.scoreOf(o).r2}` },
    { field: `MSE (Q${o.fracBits} integer → real)`, value: `${o.mse} → ${zk.scoreOf(o).mse}` },
  ]);
}

// %% [markdown]
// Decoding the written files again gives the same public output: the files on disk are exactly what was scored.

// %%
import { readFileSync } from "node:fs";
for (const { family, bundle } of exported) {
  const dir = join(EXPORT_DIR, family);
  const again = zk.evaluateInput(readFileSync(join(dir, "input.bin")));
  const same = zk.encodePublicOutput(again.output).equals(zk.encodePublicOutput(bundle.output));
  console.log(`${family}: input.bin re-evaluates to the same public output: ${same}`);
  if (!same) throw new Error(`${family}: export is not reproducible`);
}

// %% [markdown]
// ## What fixed point costs
// Float vs fixed-point predictions and metrics for several `F`. Too few bits lose precision; too many cannot represent large values (the error names the row and column).

// %%
const rows = zk.quantizationReport(zk.MODEL_FAMILIES.map((m) => trained.models[m]), trained.test, trained.target);
zk.showTable(rows.map((r) => ({ model: r.model, F: r.fracBits, "R² float": r.r2Float, "R² fixed": r.r2Fixed, "max |Δ|": r.maxAbsPredictionError, "mean |Δ|": r.meanAbsPredictionError, error: r.error ?? "" })));
zk.showFigure(zk.quantizationFigure(rows));
