// `zkml generate`: a seeded synthetic transaction log in the Kaggle layout
import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { writeGeneratedCsv } from "../../data/generate.js";
import { MAX_SEED } from "../../util/rng.js";
import { integer } from "../parse.js";

export function register(program: Command): void {
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
}
