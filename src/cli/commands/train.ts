// `zkml train`: train linear, ridge and polynomial ridge models and compare them
import { join } from "node:path";
import type { Command } from "commander";
import { formatEvaluation } from "../../model/evaluation.js";
import { OUTPUTS_DIR } from "../../paths.js";
import { dataSummary, runTraining } from "../../pipeline.js";
import { ensureDirectory, writeFileAtomic } from "../../util/fs.js";
import { formatTable } from "../../util/table.js";
import { type TrainFlags, outOption, trainOptions, trainingOf } from "../common.js";
import { toDataOptions } from "../options.js";

export function register(program: Command): void {
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
        JSON.stringify(
          { claim: trained.claim, lambda_selection: trained.lambdaSelection, evaluation: trained.evaluation, warnings: trained.warnings },
          null,
          2,
        ) + "\n",
      );
      console.log(`Claim split (seed ${trained.claim.seed}), the mean baseline first:`);
      console.log(formatTable(trained.metrics));
      console.log(formatEvaluation(trained, formatTable));
      console.log(`wrote ${join(flags.out, "models.json")}, metrics.json and evaluation.json`);
    });
}
