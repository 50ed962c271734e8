// `zkml paper`: default data → train → sweep → figures + summary
import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { type SweepFlags, sweepSpecOf } from "../../bench/presets.js";
import { describePaper, runPaper } from "../../paper.js";
import { type RawDataFlags, toDataOptions } from "../options.js";
import { sweepOptions } from "../sweep-options.js";

export function register(program: Command): void {
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
}
