// The benchmarking subcommands: build, sweep, results, paper, verify.
import os from "node:os";
import { join, resolve } from "node:path";
import { Argument, type Command, InvalidArgumentError, Option } from "commander";
import { compareHosts } from "../bench/compare-hosts.js";
import { describePaper, runPaper, writeReport } from "../paper.js";
import { SWEEP_PRESETS, sweepPreset } from "../bench/presets.js";
import { cycleFits, groupProofs, loadResults, tidy } from "../bench/results.js";
import { proofSummary } from "../bench/summary.js";
import { type HostMode, type ShaMode, type SweepSpec, runSweep, writeSweepSpec } from "../bench/sweep.js";
import { DEFAULT_FRAC_BITS } from "../export/write.js";
import type { ModelFamily } from "../model/types.js";
import { MODEL_FAMILIES } from "../model/train.js";
import { OUTPUTS_DIR } from "../paths.js";
import { runTraining } from "../pipeline.js";
import { buildHosts } from "../zkvm/driver.js";
import { type ZkvmId, ZKVM_IDS } from "../zkvm/registry.js";
import { MAX_TOLERANCE, MIN_CLAIM_DECIMALS } from "../zkvm/verdict.js";
import { VerifyUsageError, verdictLines, verifyClaim } from "../zkvm/verify.js";
import { type RawDataFlags, dataOptions, toDataOptions } from "./options.js";
import { choice, integer, listOf, number } from "./parse.js";
import { formatTable } from "../util/table.js";

const ZKVM_CHOICE = choice(ZKVM_IDS);
const MODEL_CHOICE = choice(MODEL_FAMILIES);
const SHA_CHOICE = choice<ShaMode>(["precompile", "software"]);
/** `zkvm:kind`, the zkVM checked here, the kind by its host when the sweep is planned. */
const zkvmKind = (v: string): { zkvm: ZkvmId; kind: string } => {
  const [z, kind, ...rest] = v.split(":");
  if (!kind || rest.length) throw new InvalidArgumentError("expected zkvm:kind, e.g. sp1:compressed");
  return { zkvm: ZKVM_CHOICE(z), kind };
};

interface SweepFlags {
  preset: string;
  zkvm?: ZkvmId[];
  executeModels?: ModelFamily[];
  executeSizes?: number[];
  sha?: ShaMode[];
  proveModels?: ModelFamily[];
  proveSizes?: number[];
  proveSha?: ShaMode[];
  kind?: { zkvm: ZkvmId; kind: string }[];
  reps?: number;
  warmup?: boolean;
  timeout?: number;
  hosts?: HostMode;
  claimModels?: ModelFamily[];
  claimAll?: boolean;
  cores?: number[];
}

function sweepOptions(cmd: Command): Command {
  for (const o of dataOptions) cmd.addOption(o);
  return cmd
    .addOption(
      new Option(
        "--preset <name>",
        "starting point: paper (the paper's figures and the claim), tiny (a few minutes) or full (to n = 100,000: many hours; for big machines)",
      )
        .choices(Object.keys(SWEEP_PRESETS))
        .default("paper"),
    )
    .addOption(new Option("--zkvm <list>", `zkVMs (${ZKVM_IDS.join(", ")})`).argParser(listOf(ZKVM_CHOICE)))
    .addOption(new Option("--execute-models <list>", `models whose cycles are counted (${MODEL_FAMILIES.join(", ")})`).argParser(listOf(MODEL_CHOICE)))
    .addOption(new Option("--execute-sizes <list>", 'test-set sizes to execute (cycles); "" for none').argParser(listOf(integer(1))))
    .addOption(new Option("--sha <list>", "SHA modes to execute: precompile,software").argParser(listOf(SHA_CHOICE)))
    .addOption(new Option("--prove-models <list>", "models to prove").argParser(listOf(MODEL_CHOICE)))
    .addOption(new Option("--prove-sizes <list>", 'test-set sizes to prove; "" for none').argParser(listOf(integer(1))))
    .addOption(new Option("--prove-sha <list>", "SHA modes to prove").argParser(listOf(SHA_CHOICE)))
    .addOption(new Option("--kind <list>", "proof kinds as zkvm:kind, e.g. sp1:core,sp1:compressed (default: each zkVM's first)").argParser(listOf(zkvmKind)))
    .addOption(new Option("--reps <n>", "timed proofs per configuration").argParser(integer(1)))
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
    .addOption(new Option("--claim-all", "ask every swept zkVM for the claim proofs, also those the preset leaves out (it names them and why)"))
    .addOption(new Option("--timeout <minutes>", "kill a run after this long").argParser(number(0)))
    .addOption(
      new Option(
        "--hosts <mode>",
        "serve: one long-lived host per zkVM, setup paid once (default); one-shot: a process per run, memory also measured from outside",
      ).choices(["serve", "one-shot"]),
    );
}

/** The preset with the (already parsed) flags applied on top. */
export function sweepSpecOf(f: SweepFlags): SweepSpec {
  const spec = sweepPreset(f.preset);
  if (f.zkvm !== undefined) spec.zkvms = f.zkvm;
  if (f.executeModels !== undefined) spec.execute.models = f.executeModels;
  if (f.executeSizes !== undefined) spec.execute.sizes = f.executeSizes;
  if (f.sha !== undefined) spec.execute.sha = f.sha;
  if (f.proveModels !== undefined) spec.prove.models = f.proveModels;
  if (f.proveSizes !== undefined) spec.prove.sizes = f.proveSizes;
  if (f.proveSha !== undefined) spec.prove.sha = f.proveSha;
  if (f.kind !== undefined) {
    const kinds: Record<string, string[]> = Object.fromEntries(spec.zkvms.map((z) => [z, []]));
    for (const { zkvm, kind } of f.kind) {
      if (!(zkvm in kinds)) throw new Error(`--kind ${zkvm}:${kind}: ${zkvm} is not among the sweep's zkVMs (${spec.zkvms.join(", ")})`);
      kinds[zkvm].push(kind);
    }
    spec.prove.kinds = kinds;
  }
  if (f.reps !== undefined) spec.prove.repetitions = f.reps;
  if (f.warmup) spec.warmup = true;
  if (f.timeout !== undefined) spec.timeoutMs = f.timeout * 60_000;
  if (f.hosts !== undefined) spec.hosts = f.hosts;
  if (f.claimModels !== undefined) spec.claim = { ...spec.claim, models: f.claimModels };
  if (f.claimAll && spec.claim) delete spec.claim.leftOut;
  if (f.cores !== undefined) {
    const available = os.availableParallelism();
    const tooMany = f.cores.find((c) => c > available);
    if (tooMany !== undefined) throw new Error(`--cores ${f.cores.join(",")}: cannot prove on ${tooMany} cores, this machine has ${available}`);
    spec.cores = f.cores.length ? f.cores : undefined;
  }
  return spec;
}

export function registerBenchCommands(program: Command): void {
  program
    .command("build")
    .description("build the zkVM guests and hosts (incremental; cargo caches under ~/.cache/zkml-bench)")
    .addArgument(new Argument("[zkvms...]", "zkVMs to build (default: all)").choices(ZKVM_IDS))
    .action(async (ids: string[]) => {
      await buildHosts(ids.length ? ids : [...ZKVM_IDS]);
    });

  sweepOptions(program.command("sweep").description("run or resume a benchmark sweep; one JSON line per run in outputs/sweeps/<name>.jsonl"))
    .addOption(new Option("--name <name>", "sweep name (the file to create or resume)").default("default"))
    .addOption(new Option("--max-runs <n>", "stop after this many new runs (resume later)").argParser(integer(1)))
    .addOption(new Option("--verbose", "show the hosts' own log lines"))
    .addOption(new Option("-o, --out <dir>", "directory of the sweep files").default(join(OUTPUTS_DIR, "sweeps")))
    .action(async (f: SweepFlags & RawDataFlags & { name: string; maxRuns?: number; verbose?: boolean; out: string }) => {
      const spec = sweepSpecOf(f);
      const file = resolve(f.out, `${f.name}.jsonl`);
      writeSweepSpec(file, f.name, spec);
      const { trained } = runTraining(toDataOptions(f));
      const result = await runSweep(f.name, spec, {
        file,
        trained,
        maxRuns: f.maxRuns,
        onHostLine: f.verbose ? (l) => process.stderr.write(`    ${l}\n`) : undefined,
      });
      const rows = result.rows.map(tidy);
      const fits = cycleFits(rows);
      if (fits.length) console.log(`${formatTable(fits)}\n`);
      const proofs = proofSummary(groupProofs(rows));
      if (proofs.length) console.log(`${formatTable(proofs)}\n`);
      console.log(`${result.file}: ${result.planned} runs planned, ${result.skipped} already done, ${result.ran} run now, ${result.failed} failed`);
      if (result.failed) process.exitCode = 1;
    });

  program
    .command("results")
    .description("merge sweep files (from several machines) into tidy CSV + Parquet, the summary table and the figures")
    .argument("<files...>", "sweep .jsonl files")
    .addOption(new Option("--name <name>", "name of the merged results").default("merged"))
    .addOption(new Option("-o, --out <dir>", "output directory").default(OUTPUTS_DIR))
    .action(async (files: string[], f: { name: string; out: string }) => {
      const rows = loadResults(files.map((p) => resolve(p)));
      const machines = [...new Set(rows.map((r) => r.machine))];
      const { files: written } = await writeReport(
        rows,
        f.name,
        resolve(f.out),
        `${rows.length} runs from ${machines.length} machine(s): ${machines.join(", ")}.`,
      );
      console.log(
        Object.entries(written)
          .filter(([, v]) => v !== null)
          .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.length + " files" : v}`)
          .join("\n"),
      );
    });

  sweepOptions(program.command("paper").description("default data → train → sweep → figures + summary table; re-running reuses finished runs"))
    .addOption(new Option("--name <name>", "sweep name").default("paper"))
    .addOption(new Option("--no-build", "do not (re)build the hosts first"))
    .addOption(new Option("--merge <files...>", "more sweep files (other machines) to include in the figures"))
    .action(async (f: SweepFlags & RawDataFlags & { name: string; build: boolean; merge?: string[] }) => {
      const result = await runPaper({
        name: f.name,
        spec: sweepSpecOf(f),
        build: f.build,
        merge: (f.merge ?? []).map((p) => resolve(p)),
        data: toDataOptions(f),
      });
      console.log(describePaper(result));
      if (result.sweep.failed) process.exitCode = 1;
    });

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

  program
    .command("verify")
    .description("check a published claim: proof + model commitment + data commitment + claimed score → pass or fail with the reason")
    .addOption(new Option("--zkvm <id>", "the zkVM that made the proof").choices(ZKVM_IDS).makeOptionMandatory())
    .requiredOption("--proof <file>", "the proof file")
    .requiredOption("--model <hex|model.bin>", "the published model's commitment, or the model.bin to hash")
    .requiredOption("--data-commitment <hex>", "the data owner's published test-set commitment")
    .addOption(new Option("--r2 <value>", `claimed R², as published: checked at its own decimals (at least ${MIN_CLAIM_DECIMALS}) or within --tolerance`))
    .addOption(new Option("--mse <value>", "claimed MSE (the same rule)"))
    .addOption(new Option("--mae <value>", "claimed MAE (the same rule)"))
    .addOption(new Option("--tolerance <t>", `accept a claimed score within ± t of the proven one, instead of its decimals (at most ${MAX_TOLERANCE})`))
    .addOption(new Option("--verifier <dir>", "EZKL: the prover's published verifier bundle (default: <proof>.verifier)"))
    .addOption(new Option("--trusted-srs <file>", "EZKL: an SRS you trust (a ceremony's); the proof's setup must be exactly it"))
    // Exit codes: 0 PASS, 1 FAIL (the claim does not hold), 2 a usage error (nothing verified).
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action(async (f: VerifyFlags) => {
      let outcome: Awaited<ReturnType<typeof verifyClaim>>;
      try {
        outcome = await verifyClaim({
          zkvm: f.zkvm,
          proof: resolve(f.proof),
          model: f.model,
          dataCommitment: f.dataCommitment,
          claim: { r2: f.r2, mse: f.mse, mae: f.mae },
          tolerance: f.tolerance,
          hostOptions: {
            ...(f.verifier !== undefined ? { "--verifier": resolve(f.verifier) } : {}),
            ...(f.trustedSrs !== undefined ? { "--trusted-srs": resolve(f.trustedSrs) } : {}),
          },
        });
      } catch (err) {
        if (!(err instanceof VerifyUsageError)) throw err;
        console.error(`zkml verify: ${err.message}`);
        process.exitCode = 2;
        return;
      }
      for (const line of verdictLines(f.zkvm, outcome)) console.log(line);
      if (!outcome.ok) process.exitCode = 1;
    });
}

interface VerifyFlags {
  zkvm: string;
  proof: string;
  model: string;
  dataCommitment: string;
  r2?: string;
  mse?: string;
  mae?: string;
  tolerance?: string;
  verifier?: string;
  trustedSrs?: string;
}
