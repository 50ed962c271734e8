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
// # 01 · Data cleaning and features
//
// From a raw retail transaction log to one row per customer: what they did before a cutoff day (frequency, monetary value, recency, tenure, price and discount habits) and what they spent in the 90 calendar days from it (`spend_90_days`, the target).
//
// Everything here is a call into `src/` (tested there); this notebook shows the tables. By default it runs on the **synthetic** embedded data (seeded generator in `src/data/generate.ts`, Kaggle layout), then on the real Kaggle sample in `../shared/data/`. Set `INPUT` to any delimited log (comma, semicolon, tab or whitespace; gzip or not; any file name) and `MAPPING` to its columns.

// %% tags=["parameters"]
// Parameters
const INPUT: string | undefined = undefined; // a transaction log; undefined = generated default data
const MAPPING: Record<string, string> | undefined = undefined; // column mapping (README), e.g. {"customerId":"id","timestamp":"date","timestampFormat":"%Y%m%d","amount":"amount"}
const TRANSACTIONS = 100_000; // size of the generated default data
const SEED = 42;
const HORIZON_DAYS = 90;
const WINSORIZE_IQR: number | null = 3; // cap monetary features at exp(Q3 + k·IQR) of log spend; null = off (the target is never capped)
const SAMPLE: string | undefined = undefined; // the real sample; undefined = ../shared/data/retail_transactions_sample.csv

// %%
import * as zk from "../dist/index.js";

// %% [markdown]
// ## Load and clean
// Every dropped row is counted by the first rule it breaks, with example row numbers and values. Exact duplicates are dropped only where they can be told from real repeat orders (times of day or a transaction id); the summary says which policy applied. The same summary is what `zkml data`, `train` and `export` print.

// %%
const input = INPUT ?? zk.ensureGeneratedData(TRANSACTIONS, SEED);
const options = { input, mapping: MAPPING ? zk.parseMapping(MAPPING, "MAPPING") : undefined, features: { horizonDays: HORIZON_DAYS, winsorizeIqr: WINSORIZE_IQR } };
const data = zk.prepareData(options);
console.log(zk.dataSummary(data));
const report = data.cleaned.report;
zk.showTable(report.dropped.map((d) => ({ reason: d.reason, rows: d.count, rule: d.rule, examples: d.examples.map((e) => `row ${e.row} ${e.column}: ${e.value}`).join("; ") })));

// %% [markdown]
// ## The calendar window
// The horizon is the last 90 calendar days of the log, its last day included; the cutoff is the UTC midnight that starts it. Every valid transaction lands in exactly one window, and the target sums to the horizon's spend of the customers who have features (customers first seen in the horizon have nothing to predict from).

// %%
const w = data.features.window;
const day = (d: Date) => d.toISOString().slice(0, 10);
zk.showTable([
  { window: "calibration", from: day(w.firstTransaction), to: day(new Date(w.cutoff.getTime() - 1)), transactions: w.calibrationTransactions, spend: w.calibrationSpend.toFixed(2) },
  { window: "horizon", from: day(w.cutoff), to: day(new Date(w.horizonEnd.getTime() - 1)), transactions: w.horizonTransactions, spend: w.horizonSpend.toFixed(2) },
]);
console.log(`valid transactions ${report.keptRows} = ${w.calibrationTransactions} + ${w.horizonTransactions}; target sum ${w.targetSum.toFixed(2)} + new customers' ${w.horizonSpendNewCustomers.toFixed(2)} = horizon spend ${w.horizonSpend.toFixed(2)}`);

// %% [markdown]
// ## Outliers: features only, never the target
// Monetary features are winsorized at Tukey's far fence on the log scale (spend is right-skewed: a fence on raw dollars would cap the natural tail); what a customer spends in the horizon is never touched.

// %%
const wz = data.features.winsorizing;
zk.showTable(wz.features.map((x) => ({ feature: x.feature, fence: x.fence.toFixed(2), customers_capped: x.customers, dollars_above_fence: x.dollarsRemoved.toFixed(2) })));
console.log(`${wz.customersTouched} customers touched; target customers touched: ${wz.targetCustomersTouched}`);

// %% [markdown]
// ## Features per customer
// Computed over the calibration window that ends at the cutoff; the target is spend in the horizon after it.

// %%
const f = data.features;
console.log(`${f.frame.height} customers, ${f.returningCustomers} (${(100 * f.returningCustomers / f.frame.height).toFixed(1)}%) buy again in the horizon`);
zk.showTable(Object.entries(zk.FEATURE_DOC).filter(([name]) => f.frame.columns.includes(name)).map(([name, meaning]) => ({ column: name, model_input: f.featureNames.includes(name), meaning })));
zk.showTable(f.frame.head(8).toRecords());

// %%
zk.showTable(f.frame.describe().toRecords());

// %% [markdown]
// ## Most customers buy once
// Frequency and target distributions. One-purchase customers are well defined: frequency 1, recency = tenure, monetary mean = total.

// %%
zk.showFigure(zk.frequencyDistribution(f.frame.getColumn("frequency").toArray() as number[]));
zk.showFigure(zk.targetDistribution(f.frame.getColumn(f.target).toArray() as number[], f.target));

// %% [markdown]
// ## The real Kaggle sample
// The first 1,000 records of the public dataset, read in place from `../shared/data/`. The same window, report and winsorizing. Its customer ids barely repeat, so almost nobody returns within the horizon: the target is (nearly) all zeros and R² on it is undefined. That is a property of the data, shown rather than hidden.

// %%
import { existsSync } from "node:fs";
const sample = SAMPLE ?? zk.SHARED_SAMPLE;
if (existsSync(sample)) {
  const real = zk.prepareData({ input: sample, features: { horizonDays: HORIZON_DAYS, winsorizeIqr: WINSORIZE_IQR } });
  console.log(zk.dataSummary(real));
  const rf = real.features;
  zk.showTable(rf.winsorizing.features.map((x) => ({ feature: x.feature, fence: x.fence.toFixed(2), customers_capped: x.customers, dollars_above_fence: x.dollarsRemoved.toFixed(2) })));
  zk.showFigure(zk.frequencyDistribution(rf.frame.getColumn("frequency").toArray() as number[], "Kaggle sample: purchases per customer"));
} else {
  console.log(`no Kaggle sample at ${sample}; skipped`);
}
