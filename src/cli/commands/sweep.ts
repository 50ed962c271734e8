// `zkml sweep`: run or resume a benchmark sweep
import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { type SweepFlags, sweepSpecOf } from "../../bench/presets.js";
import { cycleFits, groupProofs } from "../../bench/results.js";
import { proofSummary } from "../../bench/summary.js";
import { runSweep } from "../../bench/sweep.js";
import { writeSweepSpec } from "../../bench/sweep-file.js";
import { tidy } from "../../bench/tidy.js";
import { OUTPUTS_DIR } from "../../paths.js";
import { runTraining } from "../../pipeline.js";
import { formatTable } from "../../util/table.js";
import { type RawDataFlags, toDataOptions } from "../options.js";
import { integer } from "../parse.js";
import { sweepOptions } from "../sweep-options.js";
import { join } from "node:path";

export function register(program: Command): void {
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
}
