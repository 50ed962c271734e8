// `zkml`: one subcommand per workbench step; each calls the same src/ functions
// the notebooks use.
import { join, resolve } from "node:path";
import { Command, Option } from "commander";
import { writeGeneratedCsv } from "../data/generate.js";
import { prepareExportTarget, publishExportSet } from "../export/export-set.js";
import { DEFAULT_FRAC_BITS, buildExport, claimContext, writeExport } from "../export/write.js";
import { formatEvaluation } from "../model/evaluation.js";
import { MAX_FRAC_BITS, MIN_FRAC_BITS } from "../export/fixed-point.js";
import { quantizationReport } from "../export/quantization-report.js";
import { writeVectors } from "../export/vectors.js";
import { MODEL_FAMILIES } from "../model/train.js";
import type { ModelFamily } from "../model/types.js";
import { OUTPUTS_DIR, SPEC_VECTORS_DIR } from "../paths.js";
import { dataSummary, prepareData, runTraining } from "../pipeline.js";
import { benchPipeline } from "./bench-pipeline.js";
import { registerBenchCommands } from "./bench-commands.js";
import { type RawDataFlags, dataOptions, toDataOptions } from "./options.js";
import { integer, listOf, number } from "./parse.js";
import { formatTable } from "../util/table.js";
import { ensureDirectory, writeFileAtomic } from "../util/fs.js";
import { MAX_SEED } from "../util/rng.js";

const program = new Command("zkml").description("zkml-bench: prove a model's score on a private test set with zkVMs").showHelpAfterError();

function withData(cmd: Command): Command {
  for (const o of dataOptions) cmd.addOption(o);
  return cmd;
}

const outOption = () => new Option("-o, --out <dir>", "output directory");

withData(program.command("data").description("load, clean and featurize transactions; write the features and the cleaning report"))
  .addOption(outOption().default(join(OUTPUTS_DIR, "data")))
  .action((flags: RawDataFlags & { out: string }) => {
    const options = toDataOptions(flags);
    ensureDirectory(flags.out); // before the work: a blocked output path fails now, not after it
    const data = prepareData(options);
    writeFileAtomic(join(flags.out, "features.csv"), data.features.frame.writeCSV().toString());
    writeFileAtomic(join(flags.out, "cleaning-report.json"), JSON.stringify(data.cleaned.report, null, 2) + "\n");
    writeFileAtomic(join(flags.out, "window.json"), JSON.stringify({ window: data.features.window, winsorizing: data.features.winsorizing }, null, 2) + "\n");
    console.log(dataSummary(data));
    console.log(`wrote ${join(flags.out, "features.csv")}, cleaning-report.json and window.json`);
  });

const trainOptions = (cmd: Command) =>
  withData(cmd)
    .addOption(new Option("--degree <n>", "polynomial degree for poly-ridge").choices(["2", "3"]).default("2"))
    .addOption(new Option("--seed <n>", `split and CV seed, 0 to ${MAX_SEED}`).default(7).argParser(integer(0, MAX_SEED)))
    .addOption(new Option("--test-fraction <f>", "share of customers held out").default(0.2).argParser(number(0, 1)));

type TrainFlags = RawDataFlags & { degree: string; seed: number; testFraction: number };
const trainingOf = (f: TrainFlags) => ({ polyDegree: Number(f.degree) as 2 | 3, seed: f.seed, testFraction: f.testFraction });

trainOptions(program.command("train").description("train linear, ridge and polynomial ridge models and compare them"))
  .addOption(outOption().default(join(OUTPUTS_DIR, "models")))
  .action((flags: TrainFlags & { out: string }) => {
    const options = toDataOptions(flags);
    ensureDirectory(flags.out); // before training: a blocked output path fails now, not after it
    const run = runTraining({ ...options, training: trainingOf(flags) });
    console.log(dataSummary(run));
    const { trained } = run;
    writeFileAtomic(join(flags.out, "models.json"), JSON.stringify(trained.models, null, 2) + "\n");
    writeFileAtomic(join(flags.out, "metrics.json"), JSON.stringify(trained.metrics, null, 2) + "\n");
    writeFileAtomic(
      join(flags.out, "evaluation.json"),
      JSON.stringify({ claim: trained.claim, lambda_selection: trained.lambdaSelection, evaluation: trained.evaluation, warnings: trained.warnings }, null, 2) +
        "\n",
    );
    console.log(`Claim split (seed ${trained.claim.seed}), the mean baseline first:`);
    console.log(formatTable(trained.metrics));
    console.log(formatEvaluation(trained, formatTable));
    console.log(`wrote ${join(flags.out, "models.json")}, metrics.json and evaluation.json`);
  });

trainOptions(
  program
    .command("export")
    .description("quantize models and their test set for the zkVM guests (spec/FORMAT.md); each run replaces the whole export set at once"),
)
  .addOption(new Option("-m, --model <family>", "model to export").choices([...MODEL_FAMILIES, "all"]).default("all"))
  .addOption(new Option("-F, --frac-bits <n>", "fixed-point fraction bits").default(DEFAULT_FRAC_BITS).argParser(integer(MIN_FRAC_BITS, MAX_FRAC_BITS)))
  .addOption(new Option("--report", "also write the quantization report for several fraction-bit settings"))
  .addOption(outOption().default(join(OUTPUTS_DIR, "export")))
  .action((flags: TrainFlags & { model: ModelFamily | "all"; fracBits: number; report?: boolean; out: string }) => {
    const options = toDataOptions(flags);
    prepareExportTarget(flags.out); // before training: a blocked output path fails now, not after it
    const run = runTraining({ ...options, training: trainingOf(flags) });
    console.log(dataSummary(run));
    const { trained } = run;
    const families = flags.model === "all" ? MODEL_FAMILIES : [flags.model];
    // One set per run, published whole (src/export/export-set.ts): readers never see two runs' files mixed.
    publishExportSet(flags.out, (set) => {
      for (const family of families) {
        const model = trained.models[family];
        const bundle = buildExport(model, trained.test, trained.target, flags.fracBits);
        const dir = join(flags.out, family);
        const manifest = writeExport(join(set, family), model, bundle, trained.target, claimContext(trained, family));
        const s = manifest.score_fixed_point;
        const spread = trained.evaluation?.summary[family].r2;
        console.log(
          `${family.padEnd(10)} → ${dir}: ${bundle.output.nSamples} samples, R² ${s.r2?.toFixed(4) ?? "undefined"} (float ${manifest.score_float.r2?.toFixed(4) ?? "undefined"}; ` +
            `mean baseline ${claimContext(trained, family).baselineTest.r2?.toFixed(4) ?? "undefined"}` +
            (spread
              ? `; over ${spread.n} splits ${spread.mean.toFixed(4)} ± ${spread.sd.toFixed(4)}, 95% CI [${spread.ci95[0].toFixed(4)}, ${spread.ci95[1].toFixed(4)}]`
              : "") +
            `), model ${bundle.output.modelCommitment.slice(0, 16)}…, data ${bundle.output.dataCommitment.slice(0, 16)}…`,
        );
      }
      if (flags.report) {
        const rows = quantizationReport(
          families.map((f) => trained.models[f]),
          trained.test,
          trained.target,
        );
        writeFileAtomic(join(set, "quantization-report.json"), JSON.stringify(rows, null, 2) + "\n");
        console.log(formatTable(rows));
      }
    });
    console.log(formatEvaluation(trained, formatTable));
  });

program
  .command("generate")
  .description("write a seeded synthetic transaction log in the Kaggle layout")
  .addOption(new Option("-n, --transactions <n>", "number of transactions").default(100_000).argParser(integer(1)))
  .addOption(new Option("--seed <n>", `generator seed, 0 to ${MAX_SEED}`).default(42).argParser(integer(0, MAX_SEED)))
  .requiredOption("-o, --out <csv>", "output CSV path")
  .action((flags: { transactions: number; seed: number; out: string }) => {
    const rows = writeGeneratedCsv(resolve(flags.out), { transactions: flags.transactions, seed: flags.seed });
    console.log(`wrote ${rows} synthetic transactions to ${flags.out}`);
  });

program
  .command("vectors")
  .description("regenerate the shared test vectors of spec/FORMAT.md from the TypeScript reference")
  .addOption(outOption().default(SPEC_VECTORS_DIR))
  .action((flags: { out: string }) => {
    const vectors = writeVectors(flags.out);
    console.log(`wrote ${vectors.length} vectors to ${flags.out}`);
  });

program
  .command("bench-pipeline")
  .description("benchmark load + clean + features + train on generated data (medians of several runs)")
  .addOption(new Option("--sizes <list>", "transaction counts, comma-separated").default([100_000, 1_000_000], "100000,1000000").argParser(listOf(integer(1))))
  .addOption(new Option("--runs <n>", "timed runs per size").default(3).argParser(integer(1)))
  .addOption(new Option("--sample <csv>", "also run on this real CSV (default: the shared Kaggle sample, if present)"))
  .addOption(outOption().default(join(OUTPUTS_DIR, "bench")))
  .action(async (flags: { sizes: number[]; runs: number; sample?: string; out: string }) => {
    await benchPipeline({ sizes: flags.sizes, runs: flags.runs, sample: flags.sample, out: flags.out });
  });

registerBenchCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // Expected failures (bad files, bad flags, unrepresentable values) are one clear line, not a stack.
  console.error(`zkml: ${(err as Error).message}`);
  process.exitCode = 1;
}
