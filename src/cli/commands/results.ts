// `zkml results`: merge sweep files into tidy CSV + Parquet, the summary and the figures
import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { loadResults } from "../../bench/tidy.js";
import { OUTPUTS_DIR } from "../../paths.js";
import { writeReport } from "../../paper.js";

export function register(program: Command): void {
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
}
