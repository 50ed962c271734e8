// `zkml compare-hosts`: prove time of several builds of one zkVM host, interleaved
import { type Command, Option } from "commander";
import { compareHosts } from "../../bench/compare-hosts.js";
import { DEFAULT_FRAC_BITS } from "../../export/write.js";
import { MODEL_FAMILIES } from "../../model/train.js";
import type { ModelFamily } from "../../model/types.js";
import { runTraining } from "../../pipeline.js";
import { formatTable } from "../../util/table.js";
import { ZKVM_IDS } from "../../zkvm/registry.js";
import { type RawDataFlags, dataOptions, toDataOptions } from "../options.js";
import { integer, number } from "../parse.js";

export function register(program: Command): void {
  const compare = program
    .command("compare-hosts")
    .description("prove time of several builds of one zkVM host (build profiles, CPU flags), interleaved in one run; medians and ratios to the first");
  for (const o of dataOptions) compare.addOption(o);
  compare
    .addOption(new Option("--zkvm <id>", "the zkVM the binaries are hosts of").choices(ZKVM_IDS).makeOptionMandatory())
    .requiredOption("--binary <paths...>", "host executables to compare (the first is the baseline)")
    .addOption(new Option("--model <family>", "model to prove").choices(MODEL_FAMILIES).default("ridge"))
    .addOption(new Option("--n <samples>", "test samples proven").default(1000).argParser(integer(1)))
    .addOption(new Option("--reps <n>", "proofs per binary").default(3).argParser(integer(1)))
    .addOption(new Option("--kind <kind>", "proof kind (default: the zkVM's first)"))
    .addOption(new Option("--timeout <minutes>", "kill a proof after this long").default(30).argParser(number(0)))
    .action(async (f: RawDataFlags & { zkvm: string; binary: string[]; model: ModelFamily; n: number; reps: number; kind?: string; timeout: number }) => {
      const { trained } = runTraining(toDataOptions(f));
      const rows = await compareHosts(
        {
          zkvm: f.zkvm,
          binaries: f.binary,
          model: f.model,
          n: f.n,
          repetitions: f.reps,
          kind: f.kind,
          fracBits: DEFAULT_FRAC_BITS,
          timeoutMs: f.timeout * 60_000,
        },
        trained,
        (line) => process.stderr.write(`${line}\n`),
      );
      console.log(formatTable(rows));
    });
}
