// The flags of `zkml sweep` and `zkml paper`: a preset (src/bench/presets.ts)
// and what to change in it; sweepSpecOf applies them.
import { type Command, InvalidArgumentError, Option } from "commander";
import { SWEEP_PRESETS } from "../bench/presets.js";
import type { ShaMode } from "../bench/sweep-spec.js";
import { WORKLOADS, parseWorkload } from "../bench/workload.js";
import { ZKVM_IDS } from "../zkvm/registry.js";
import { dataOptions } from "./options.js";
import { choice, integer, listOf, number } from "./parse.js";

export const ZKVM_CHOICE = choice(ZKVM_IDS);
/** A workload; `poly-ridge` (the trainer's family name) means its default degree, poly2. */
const MODEL_CHOICE = (v: string) => {
  try {
    return parseWorkload(v);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
};
const SHA_CHOICE = choice<ShaMode>(["precompile", "software"]);
/** `zkvm:kind`, the zkVM checked here, the kind by its host when the sweep is planned. */
const zkvmKind = (v: string): { zkvm: string; kind: string } => {
  const [z, kind, ...rest] = v.split(":");
  if (!kind || rest.length) throw new InvalidArgumentError("expected zkvm:kind, e.g. sp1:compressed");
  return { zkvm: ZKVM_CHOICE(z), kind };
};

export function sweepOptions(cmd: Command): Command {
  for (const o of dataOptions) cmd.addOption(o);
  return (
    cmd
      .addOption(
        new Option(
          "--preset <name>",
          "starting point: paper (the paper's figures and the claim), tiny (a few minutes) or full (to n = 100,000: many hours; for big machines)",
        )
          .choices(Object.keys(SWEEP_PRESETS))
          .default("paper"),
      )
      .addOption(new Option("--zkvm <list>", `zkVMs (${ZKVM_IDS.join(", ")})`).argParser(listOf(ZKVM_CHOICE)))
      .addOption(
        new Option("--execute-models <list>", `models whose cycles are counted (${WORKLOADS.join(", ")}: poly2/poly3 are poly-ridge of degree 2/3)`).argParser(
          listOf(MODEL_CHOICE),
        ),
      )
      .addOption(new Option("--execute-sizes <list>", 'test-set sizes to execute (cycles); "" for none').argParser(listOf(integer(1))))
      .addOption(new Option("--sha <list>", "SHA modes to execute: precompile,software").argParser(listOf(SHA_CHOICE)))
      .addOption(new Option("--prove-models <list>", "models to prove").argParser(listOf(MODEL_CHOICE)))
      .addOption(new Option("--prove-sizes <list>", 'test-set sizes to prove; "" for none').argParser(listOf(integer(1))))
      .addOption(new Option("--prove-sha <list>", "SHA modes to prove").argParser(listOf(SHA_CHOICE)))
      .addOption(new Option("--kind <list>", "proof kinds as zkvm:kind, e.g. sp1:core,sp1:compressed (default: each zkVM's first)").argParser(listOf(zkvmKind)))
      .addOption(new Option("--reps <n>", "timed proofs per configuration").argParser(integer(1)))
      .addOption(
        new Option(
          "--workload-models <list>",
          'the workload ladder: models proven at each --workload-sizes, each SHA mode; "" for none (paper: all)',
        ).argParser(listOf(MODEL_CHOICE)),
      )
      .addOption(new Option("--workload-sizes <list>", "the ladder's test-set sizes (paper: 100)").argParser(listOf(integer(1))))
      .addOption(new Option("--workload-sha <list>", "the ladder's SHA modes (paper: precompile,software)").argParser(listOf(SHA_CHOICE)))
      .addOption(new Option("--workload-reps <n>", "proofs per ladder configuration (paper: 1)").argParser(integer(1)))
      .addOption(new Option("--warmup", "one extra proof per zkVM first, recorded as a warm-up and left out of figures"))
      .addOption(
        new Option("--claim-models <list>", 'models whose whole test set (the claim) each zkVM proves once; "" for none (paper: ridge)').argParser(
          listOf(MODEL_CHOICE),
        ),
      )
      .addOption(
        new Option("--cores <list>", "prove on each of these core counts, pinned to the first k cores (taskset), e.g. 1,2 for a core-scaling figure").argParser(
          listOf(integer(1)),
        ),
      )
      .addOption(
        new Option(
          "--ignore-memory-limits",
          "ask every prover for every proof, also those its host predicts will not fit in this machine's memory (left out by default, named with why)",
        ),
      )
      // The flag's name before timed proofs were also checked against memory.
      .addOption(new Option("--claim-all").hideHelp().implies({ ignoreMemoryLimits: true }))
      .addOption(new Option("--timeout <minutes>", "kill a run after this long").argParser(number(0)))
      .addOption(
        new Option(
          "--hosts <mode>",
          "serve: one long-lived host per zkVM, setup paid once (default); one-shot: a process per run, memory also measured from outside",
        ).choices(["serve", "one-shot"]),
      )
  );
}
