// `zkml export`: quantize models and their test set for the guests (spec/FORMAT.md)
import { join } from "node:path";
import { type Command, Option } from "commander";
import { prepareExportTarget, publishExportSet } from "../../export/export-set.js";
import { MAX_FRAC_BITS, MIN_FRAC_BITS } from "../../export/fixed-point.js";
import { quantizationReport } from "../../export/quantization-report.js";
import { DEFAULT_FRAC_BITS, buildExport, claimContext, writeExport } from "../../export/write.js";
import { formatEvaluation } from "../../model/evaluation.js";
import { MODEL_FAMILIES } from "../../model/train.js";
import type { ModelFamily } from "../../model/types.js";
import { OUTPUTS_DIR } from "../../paths.js";
import { dataSummary, runTraining } from "../../pipeline.js";
import { writeFileAtomic } from "../../util/fs.js";
import { formatTable } from "../../util/table.js";
import { type TrainFlags, outOption, trainOptions, trainingOf } from "../common.js";
import { integer } from "../parse.js";
import { toDataOptions } from "../options.js";

export function register(program: Command): void {
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
}
