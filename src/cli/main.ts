// `zkml`: one subcommand per workbench step (src/cli/commands/, one file
// each); each calls the same src/ functions the notebooks use.
import { Command } from "commander";
import * as benchPipeline from "./commands/bench-pipeline.js";
import * as build from "./commands/build.js";
import * as compareHosts from "./commands/compare-hosts.js";
import * as data from "./commands/data.js";
import * as exportCommand from "./commands/export.js";
import * as generate from "./commands/generate.js";
import * as paper from "./commands/paper.js";
import * as results from "./commands/results.js";
import * as sweep from "./commands/sweep.js";
import * as train from "./commands/train.js";
import * as vectors from "./commands/vectors.js";
import * as verify from "./commands/verify.js";

const program = new Command("zkml").description("zkml-bench: prove a model's score on a private test set with zkVMs").showHelpAfterError();

// In the order `zkml --help` lists them: the workbench's steps, then benchmarking.
for (const command of [data, train, exportCommand, generate, vectors, benchPipeline, build, sweep, results, paper, compareHosts, verify])
  command.register(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // Expected failures (bad files, bad flags, unrepresentable values) are one clear line, not a stack.
  console.error(`zkml: ${(err as Error).message}`);
  process.exitCode = 1;
}
