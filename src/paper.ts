// `npm run paper`: default data → train → export → default sweep (resumable) → tidy
// results (CSV, Parquet) → summary table → figures (SVG, PNG, one HTML page).
// Every step writes its files atomically; re-running reuses finished runs.
// Above src/bench and src/plots: it joins them (neither imports the other's way back).
import { existsSync, mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { publishExportSet } from "./export/export-set.js";
import { buildExport, claimContext, writeExport } from "./export/write.js";
import { MODEL_FAMILIES } from "./model/train.js";
import { OUTPUTS_DIR, PROJECT_ROOT } from "./paths.js";
import { type DataOptions, runTraining } from "./pipeline.js";
import { type NamedFigure, benchFigures } from "./plots/bench.js";
import { checkPageRenders, renderFigures, writeFiguresPage } from "./plots/render.js";
import { buildHosts, hostBuilt } from "./zkvm/driver.js";
import { zkvm } from "./zkvm/registry.js";
import { formatDuration } from "./bench/progress.js";
import { writeTableCsv, writeTableParquet } from "./bench/results.js";
import { type TidyRow, loadResults } from "./bench/tidy.js";
import { publishedClaims } from "./bench/claim.js";
import { type ClaimSummaryContext, writeSummary } from "./bench/summary.js";
import { type SweepResult, runSweep } from "./bench/sweep.js";
import { writeSweepSpec } from "./bench/sweep-file.js";
import type { SweepSpec } from "./bench/sweep-spec.js";

export interface ReportFiles {
  csv: string;
  parquet: string;
  summaryMarkdown: string;
  summaryCsv: string;
  /** Null when the rows hold no claim proof (no claims.csv is left then). */
  claimsCsv: string | null;
  figures: string[];
  page: string;
}

/** Results → tidy CSV/Parquet, summary table and figures under `outDir`. */
export async function writeReport(
  rows: readonly TidyRow[],
  name: string,
  outDir = OUTPUTS_DIR,
  context = "",
  claim: ClaimSummaryContext = {},
): Promise<{ files: ReportFiles; figures: NamedFigure[]; summary: string }> {
  const resultsDir = join(outDir, "results");
  const figuresDir = join(outDir, "figures");
  mkdirSync(resultsDir, { recursive: true });
  mkdirSync(figuresDir, { recursive: true });
  const csv = join(resultsDir, `${name}.csv`);
  const parquet = join(resultsDir, `${name}.parquet`);
  writeTableCsv(rows, csv);
  writeTableParquet(rows, parquet);
  const summaryMarkdown = join(outDir, "summary.md");
  const summaryCsv = join(outDir, "summary.csv");
  const claimsCsv = join(outDir, "claims.csv");
  const summary = writeSummary(rows, { markdown: summaryMarkdown, csv: summaryCsv, claimsCsv }, context, claim);
  const figures = benchFigures(rows);
  const figureFiles = await renderFigures(figures, figuresDir);
  const page = join(figuresDir, "index.html");
  writeFiguresPage(figures, page, { title: "zkml-bench: proving a model's score in zkVMs", intro: context });
  // The page must draw: a figure that fails in the browser is a failed report.
  const check = await checkPageRenders(page);
  if (check.consoleErrors.length || check.plots !== figures.length)
    throw new Error(`${page} does not render: ${check.plots}/${figures.length} plots drawn; console errors: ${check.consoleErrors.join("; ")}`);
  const claims = existsSync(claimsCsv) ? claimsCsv : null;
  return { files: { csv, parquet, summaryMarkdown, summaryCsv, claimsCsv: claims, figures: figureFiles, page }, figures, summary };
}

export interface PaperOptions {
  name: string;
  spec: SweepSpec;
  /** Build (incrementally) the hosts first. */
  build: boolean;
  /** More sweep files (other machines) to merge into the report. */
  merge: string[];
  /** The data to train on (default: the embedded default data). */
  data?: DataOptions;
  outDir?: string;
  log?: (line: string) => void;
}

export interface PaperResult {
  sweep: SweepResult;
  rows: TidyRow[];
  files: ReportFiles;
  summary: string;
  wallMs: number;
}

export async function runPaper(o: PaperOptions): Promise<PaperResult> {
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const start = performance.now();
  const outDir = o.outDir ?? OUTPUTS_DIR;
  if (o.build) {
    log(`building ${o.spec.zkvms.join(", ")} (incremental)`);
    await buildHosts(o.spec.zkvms);
  }
  const missing = o.spec.zkvms.filter((id) => !hostBuilt(zkvm(id)));
  if (missing.length) throw new Error(`hosts not built: ${missing.join(", ")} (run guests/build.sh ${missing.join(" ")}, or drop --no-build)`);
  log(`training on ${o.data?.input ?? "the default data"}`);
  const { trained, input } = runTraining(o.data);
  // The full test set's export: the model.bin a claim publishes, and the input
  // the sweep's claim proofs prove (the same bytes: the summary checks the
  // proofs' commitments against these manifests).
  publishExportSet(join(outDir, "export"), (set) => {
    for (const family of MODEL_FAMILIES) {
      const bundle = buildExport(trained.models[family], trained.test, trained.target, o.spec.fracBits);
      writeExport(join(set, family), trained.models[family], bundle, trained.target, claimContext(trained, family));
    }
  });
  log(`exported ${MODEL_FAMILIES.join(", ")} (${trained.test.y.length} test samples) to ${join(outDir, "export")}`);
  const file = join(outDir, "sweeps", `${o.name}.jsonl`);
  writeSweepSpec(file, o.name, o.spec);
  const sweep = await runSweep(o.name, o.spec, { file, trained });
  if (sweep.failed) log(`${sweep.failed} run(s) failed; their rows keep the reason, and a re-run retries them`);
  const rows = loadResults([file, ...o.merge]);
  const context = `Sweep \`${o.name}\` on ${o.data?.input ? "" : "the default data "}(${relative(PROJECT_ROOT, input)}); ${rows.length} runs from ${new Set(rows.map((r) => r.machine)).size} machine(s).`;
  const { files, summary } = await writeReport(rows, o.name, outDir, context, {
    published: publishedClaims(outDir),
    leftOut: sweep.leftOut,
  });
  return { sweep, rows, files, summary, wallMs: performance.now() - start };
}

export function describePaper(r: PaperResult): string {
  return [
    r.summary,
    `sweep file: ${r.sweep.file} (${r.sweep.planned} runs: ${r.sweep.skipped} reused, ${r.sweep.ran} run now, ${r.sweep.failed} failed)`,
    `results: ${r.files.csv}, ${r.files.parquet}`,
    `summary: ${r.files.summaryMarkdown}, ${r.files.summaryCsv}${r.files.claimsCsv ? `, ${r.files.claimsCsv}` : ""}`,
    `figures: ${r.files.figures.length} files in ${join(r.files.page, "..")}, page ${r.files.page}`,
    `wall time: ${formatDuration(r.wallMs)}`,
  ].join("\n");
}
