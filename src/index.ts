// The public API of zkml-bench: what the notebooks and a user's own scripts
// need, one line per step of the workbench. Everything else is internal to
// its module (the CLI imports modules directly).
import { PROJECT_ROOT } from "./paths.js";
import { assertCurrentBuild } from "./util/build-stamp.js";

assertCurrentBuild(import.meta.url, PROJECT_ROOT);

// Where things are.
export { OUTPUTS_DIR, PROJECT_ROOT, SHARED_SAMPLE } from "./paths.js";

// Data: a log → cleaned transactions → per-customer features.
export { type ColumnMapping, KAGGLE_MAPPING, parseMapping, readMappingFile } from "./data/schema.js";
export { loadTransactions } from "./data/load.js";
export { cleanTransactions, formatCleaningReport } from "./data/clean.js";
export { FEATURE_DOC, computeFeatures } from "./data/features.js";
export { writeGeneratedCsv } from "./data/generate.js";
export { dataSummary, ensureGeneratedData, generatedDataPath, prepareData, runTraining } from "./pipeline.js";

// Models and their honest evaluation.
export type { FittedModel, ModelFamily } from "./model/types.js";
export { MODEL_FAMILIES, SCORED } from "./model/fit-split.js";
export { type TrainedModels, trainModels } from "./model/train.js";
export { regressionMetrics } from "./model/metrics.js";
export { evaluationHeadline, evaluationRows, formatEvaluation } from "./model/evaluation.js";
export { ZERO_HEAVY_SHARE } from "./model/target-check.js";

// Quantized export (spec/FORMAT.md) and the TypeScript reference of the guests.
export { type ExportBundle, type ExportManifest, buildExport, claimContext, writeExport } from "./export/write.js";
export { publishExportSet } from "./export/export-set.js";
export { encodeModel, encodeTestSet } from "./export/format.js";
export { type PublicOutput, encodePublicOutput, evaluateInput, scoreOf, sha256Hex } from "./export/reference.js";
export { quantizationReport } from "./export/quantization-report.js";

// Provers: the table, the hosts, the verifier's check.
export { ZKVMS, ZKVM_TABLE, type ZkvmId, hostInfo, zkvm } from "./zkvm/registry.js";
export { hostArgs, hostBuilt, runFailure, runHost } from "./zkvm/driver.js";
export { HostServer } from "./zkvm/server.js";
export type { HostRecord } from "./zkvm/record.js";
export { VerifyUsageError, verdictLines, verifyClaim } from "./zkvm/verify.js";
export { ClaimUsageError, parseClaim } from "./zkvm/verdict.js";

// Benchmarks, the paper and figures.
export { runSweep } from "./bench/sweep.js";
export type { SweepSpec } from "./bench/sweep-spec.js";
export { sweepPreset } from "./bench/presets.js";
export { resample } from "./bench/sized-input.js";
export { cycleFits, groupProofs } from "./bench/results.js";
export { type TidyRow, loadResults } from "./bench/tidy.js";
export { MEASURES, axisTitleOf, headerOf, shown } from "./bench/columns.js";
export { proofSummary, workloadTable } from "./bench/summary.js";
export { WORKLOADS, WORKLOAD, termsOf } from "./bench/workload.js";
export { circuitCrossovers, crossoverSentence, ladderGroups, precompileGains, rankWorkloads } from "./bench/workload-ranking.js";
export { type ClaimRow, claimRows, claimSentence, claimTable, publishedClaims } from "./bench/claim.js";
export { runPaper, writeReport } from "./paper.js";
export { benchFigures } from "./plots/bench.js";
export { crossValidationCurves, frequencyDistribution, predictedVsActual, quantizationFigure, residuals, targetDistribution } from "./plots/workbench.js";
export { showFigure, showTable } from "./plots/notebook.js";
