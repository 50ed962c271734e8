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
// # 02 · Model training
//
// Three regressors for `spend_90_days` from the customer features, on one seeded split by customer (the claim that gets exported and proven):
//
// * **linear**: ordinary least squares (normal equations on standardized columns; checked against ml-regression in the tests),
// * **ridge**: standardized inputs, λ by 5-fold cross-validation (closed form on ml-matrix),
// * **poly-ridge**: standardized inputs clipped to ±z, all monomials up to degree 2 (or 3), ridge with CV λ.
//
// Beside them, the **mean baseline** (predict the training mean for everyone): a model is only worth its R² above it. One split is one draw, so the same procedure is then **repeated over several split seeds** (the claim's seed first), with the mean, spread and a 95% interval of each score and how often each model ranks first.
//
// Standardization and the polynomial expansion are part of each model, so the exported model predicts from raw features.

// %% tags=["parameters"]
// Parameters
const INPUT: string | undefined = undefined;
const POLY_DEGREE: 2 | 3 = 2;
const SEED = 7;
const EVAL_SPLITS = 5;

// %%
import * as zk from "../dist/index.js";

// %%
const { trained } = zk.runTraining({ input: INPUT, training: { polyDegree: POLY_DEGREE, seed: SEED, evaluationSplits: EVAL_SPLITS } });
const c = trained.claim;
console.log(`claim: split seed ${c.seed}, test fraction ${c.testFraction}: ${c.nTrainCustomers} train / ${c.nTestCustomers} test customers (test ids SHA-256 ${c.testCustomerIdsSha256.slice(0, 16)}…)`);
console.log(`features: ${trained.featureNames.join(", ")}; target ${trained.target} is 0 for ${(100 * trained.targetProfile.zeroShare).toFixed(1)}% of customers`);

// %% [markdown]
// ## Warnings
//
// A target that is 0 for at least 90% of customers gets a plain warning (R² near 0 is then the expected, honest result), and a λ that cross-validation picks at the edge of its grid is reported: the grid is extended by decades, and if the minimum is still at the edge the note names the value. None may apply to the data at hand; the cell says so.

// %%
if (trained.warnings.length === 0)
  console.log(`no warnings: the target is ${(100 * trained.targetProfile.zeroShare).toFixed(1)}% zeros (< ${100 * zk.ZERO_HEAVY_SHARE}%), and each λ was picked inside its grid`);
trained.warnings.forEach((w) => console.log(w));
zk.showTable(zk.MODEL_FAMILIES.map((m) => {
  const s = m === "linear" ? null : trained.lambdaSelection[m];
  return { model: m, lambda: trained.models[m].lambda ?? "—", "λ on the grid": s ? s.status : "—", terms: trained.models[m].weights.length };
}));

// %% [markdown]
// ## The claim's split, beside the mean baseline
//
// The baseline's train R² is 0 by construction; its test R² is slightly below 0 (the training mean is not the test mean).

// %%
zk.showTable(trained.metrics.map((m) => ({ model: m.model, split: m.split, r2: m.r2, mse: m.mse, mae: m.mae, n: m.n })));

// %% [markdown]
// ## Repeated splits
//
// Every split refits every model (CV λ included) on its own training customers and scores it on the rest. The interval is for the mean over splits, with the Nadeau–Bengio correction: the splits' training sets overlap, so the plain t interval would be too narrow.

// %%
const e = trained.evaluation!;
console.log(zk.evaluationHeadline(e));
zk.showTable(zk.evaluationRows(e));
zk.showTable(e.splits.map((o) => ({ seed: o.seed, first: o.first, ...Object.fromEntries(zk.SCORED.map((s) => [`${s} R²`, o.test[s].r2])) })));

// %%
zk.showFigure(zk.crossValidationCurves(trained));

// %% [markdown]
// ## A constant target is refused
//
// On the Kaggle sample beside the repository nobody buys again in the horizon: every target is 0, R² is undefined, and training stops with a message instead of scoring a meaningless model (the CLI exits non-zero).

// %%
import { existsSync } from "node:fs";
if (existsSync(zk.SHARED_SAMPLE)) {
  try {
    zk.runTraining({ input: zk.SHARED_SAMPLE });
    console.log("the sample trained: its target is not constant");
  } catch (err) {
    console.log(`${(err as Error).name}: ${(err as Error).message}`);
  }
} else console.log(`no sample at ${zk.SHARED_SAMPLE}`);

// %% [markdown]
// ## Predictions and residuals on the test set

// %%
zk.showFigure(zk.predictedVsActual(trained));
zk.showFigure(zk.residuals(trained));
