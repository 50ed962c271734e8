// `zkml bench-pipeline`: benchmark of the TypeScript half (src/bench/pipeline-bench.ts)
import { join } from "node:path";
import { type Command, Option } from "commander";
import { benchPipeline } from "../../bench/pipeline-bench.js";
import { OUTPUTS_DIR } from "../../paths.js";
import { outOption } from "../common.js";
import { integer, listOf } from "../parse.js";

export function register(program: Command): void {
  program
    .command("bench-pipeline")
    .description("benchmark load + clean + features + train on generated data (medians of several runs)")
    .addOption(
      new Option("--sizes <list>", "transaction counts, comma-separated").default([100_000, 1_000_000], "100000,1000000").argParser(listOf(integer(1))),
    )
    .addOption(new Option("--runs <n>", "timed runs per size").default(3).argParser(integer(1)))
    .addOption(new Option("--sample <csv>", "also run on this real CSV (default: the shared Kaggle sample, if present)"))
    .addOption(outOption().default(join(OUTPUTS_DIR, "bench")))
    .action(async (flags: { sizes: number[]; runs: number; sample?: string; out: string }) => {
      await benchPipeline({ sizes: flags.sizes, runs: flags.runs, sample: flags.sample, out: flags.out });
    });
}
