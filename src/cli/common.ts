// What several subcommands share: the data options, an output option, and
// training's options.
import { type Command, Option } from "commander";
import { MAX_SEED } from "../util/rng.js";
import { dataOptions } from "./options.js";
import { integer, number } from "./parse.js";

export function withData(cmd: Command): Command {
  for (const o of dataOptions) cmd.addOption(o);
  return cmd;
}

export const outOption = () => new Option("-o, --out <dir>", "output directory");

export const trainOptions = (cmd: Command) =>
  withData(cmd)
    .addOption(new Option("--degree <n>", "polynomial degree for poly-ridge").choices(["2", "3"]).default("2"))
    .addOption(new Option("--seed <n>", `split and CV seed, 0 to ${MAX_SEED}`).default(7).argParser(integer(0, MAX_SEED)))
    .addOption(new Option("--test-fraction <f>", "share of customers held out").default(0.2).argParser(number(0, 1)));

export type TrainFlags = import("./options.js").RawDataFlags & { degree: string; seed: number; testFraction: number };
export const trainingOf = (f: TrainFlags) => ({ polyDegree: Number(f.degree) as 2 | 3, seed: f.seed, testFraction: f.testFraction });
