// The summary table of a set of benchmark rows: one line per configuration
// and input size, medians with the min–max range, for the paper and the README.
import { rmSync } from "node:fs";
import { groupBy } from "../util/group.js";
import { markdownTable } from "../util/table.js";
import { labelOf } from "../zkvm/registry.js";
import { writeFileAtomic } from "../util/fs.js";
import { type PublishedClaim, claimRows, claimSentence, claimTable } from "./claim.js";
import { compareCircuits, comparisonSummary } from "./circuit-vs-zkvm.js";
import { MEASURES, type Measure, headerOf, shown } from "./columns.js";
import type { LeftOut } from "./plan.js";
import { type ProofGroup, type Spread, cycleFits, groupProofs, writeTableCsv } from "./results.js";
import type { TidyRow } from "./tidy.js";
import { WORKLOAD, type Workload } from "./workload.js";
import { RANKED, type Ranking, circuitCrossovers, crossoverSentence, ladderGroups, precompileGains, rankWorkloads } from "./workload-ranking.js";

/** A median with its min–max range, in the unit the column is shown in. */
const range = (s: Spread | null, column: Measure, digits: number) => {
  if (s === null) return null;
  const [median, min, max] = [s.median, s.min, s.max].map((v) => shown(column, v, digits));
  return s.min === s.max ? median : `${median} (${min}–${max})`;
};

/** One row per proof configuration and size; strings so that ranges read well. */
export function proofSummary(groups: readonly ProofGroup[]): Record<string, string | number | null>[] {
  return groups.map((g) => ({
    machine: g.machine,
    arch: g.arch,
    zkvm: `${g.zkvm} ${g.zkvm_version ?? ""}`.trim(),
    "host cpu": g.host_target_cpu ?? "–",
    cores: g.cores_used,
    kind: g.proof_kind,
    model: g.model,
    sha: g.sha,
    n: g.n,
    runs: g.runs,
    [headerOf("total_cycles")]: g.total_cycles,
    segments: g.segments,
    [headerOf("prove_ms")]: range(g.prove_ms, "prove_ms", 1),
    [headerOf("verify_ms")]: range(g.verify_ms, "verify_ms", 1),
    [headerOf("proof_bytes")]: range(g.proof_bytes, "proof_bytes", 0),
    [headerOf("peak_rss_host_bytes")]: range(g.peak_rss_bytes, "peak_rss_host_bytes", 0),
    [headerOf("cycles_per_second")]: g.cycles_per_second ? Math.round(g.cycles_per_second.median) : null,
    [headerOf("setup_ms")]: range(g.setup_ms, "setup_ms", 1),
    "wall / (prove+verify)": g.wall_over_prove_verify ? g.wall_over_prove_verify.median.toFixed(3) : null,
    "driver overhead %": g.driver_overhead ? (100 * g.driver_overhead.median).toFixed(2) : null,
  }));
}

/** The columns of summary.csv: plain numbers, one row per proof configuration and size. */
const PROOF_CSV_COLUMNS: Record<string, (g: ProofGroup) => string | number | null> = {
  machine: (g) => g.machine,
  arch: (g) => g.arch,
  zkvm: (g) => g.zkvm,
  zkvm_version: (g) => g.zkvm_version,
  host_target_cpu: (g) => g.host_target_cpu,
  cores_used: (g) => g.cores_used,
  proof_kind: (g) => g.proof_kind,
  model: (g) => g.model,
  sha: (g) => g.sha,
  n: (g) => g.n,
  runs: (g) => g.runs,
  total_cycles: (g) => g.total_cycles,
  segments: (g) => g.segments,
  prove_ms_median: (g) => g.prove_ms.median,
  prove_ms_min: (g) => g.prove_ms.min,
  prove_ms_max: (g) => g.prove_ms.max,
  verify_ms_median: (g) => g.verify_ms.median,
  verify_ms_min: (g) => g.verify_ms.min,
  verify_ms_max: (g) => g.verify_ms.max,
  proof_bytes_median: (g) => g.proof_bytes.median,
  peak_rss_bytes_median: (g) => g.peak_rss_bytes.median,
  peak_rss_bytes_max: (g) => g.peak_rss_bytes.max,
  cycles_per_second_median: (g) => g.cycles_per_second?.median ?? null,
  setup_ms_median: (g) => g.setup_ms?.median ?? null,
  wall_over_prove_verify_median: (g) => g.wall_over_prove_verify?.median ?? null,
  driver_overhead_median: (g) => g.driver_overhead?.median ?? null,
};

export interface SummaryFiles {
  markdown: string;
  csv: string;
  /** The claim rows as plain numbers (written when there are any). */
  claimsCsv?: string;
}

/** What the claim section compares the proofs with, and what the sweep did not ask. */
export interface ClaimSummaryContext {
  /** Per model, the commitments of its published export. */
  published?: Readonly<Record<string, PublishedClaim>>;
  /** Claim proofs the sweep's plan left out, and why. */
  leftOut?: readonly LeftOut[];
}

/** The headline: each model's whole-test-set score as each zkVM proved it. */
function claimSection(rows: readonly TidyRow[], claim: ClaimSummaryContext): { lines: string[]; claims: ReturnType<typeof claimRows> } {
  const claims = claimRows(rows, claim.published);
  const leftOut = claim.leftOut ?? [];
  if (!claims.length && !leftOut.length) return { lines: [], claims };
  return {
    claims,
    lines: [
      "## The claim, proven",
      "",
      ...claims.map((c) => `- ${claimSentence(c)}`),
      ...leftOut.filter((l) => l.claim).map((l) => `- ${labelOf(l.zkvm)}, ${l.model}: left out of this sweep's claim: ${l.why}`),
      "",
      "One proof per zkVM, proof kind and model of the whole test set (a single run, not a median; the timed sizes below have medians). " +
        "`= published export`: the proof's public output carries the commitments of the model's export.json (for a circuit, the model's; it hashes the data its own way).",
      "",
      ...(claims.length ? [markdownTable(claimTable(claims)), ""] : []),
    ],
  };
}

/** Each circuit compiler over the best zkVM at each size (only when both proved on one machine). */
function circuitSection(groups: readonly ProofGroup[]): string[] {
  const rows = compareCircuits(groups);
  if (!rows.length) return [];
  const circuits = [...new Set(rows.map((r) => labelOf(r.circuit)))].join(", ");
  return [
    "## Circuit compiler vs zkVMs",
    "",
    "Median of the circuit compiler over the median of the best zkVM for that metric (named), same machine, model and n; below 1: the circuit is cheaper. " +
      `For ${circuits} the proofs table's cycles are its padded circuit rows (2^logrows), not cycles.`,
    "",
    markdownTable(comparisonSummary(rows)),
    "",
  ];
}

const METRIC_COLUMN: Record<Ranking["metric"], Measure> = {
  prove_ms: "prove_ms",
  verify_ms: "verify_ms",
  peak_rss_bytes: "peak_rss_host_bytes",
  proof_bytes: "proof_bytes",
};

/** "RISC Zero composite, 31.2 s (next: OpenVM app, 1.4×)" */
function placingText(r: Ranking): string {
  const [best, next] = r.placings;
  const column = METRIC_COLUMN[r.metric];
  const digits = column === "prove_ms" || column === "verify_ms" ? 1 : 0;
  const value = `${shown(column, best.value, digits)} ${MEASURES[column].shown}`;
  const runnerUp = next ? ` (next: ${labelOf(next.zkvm)} ${next.proof_kind}, ${r.ratio!.toFixed(2)}×)` : "";
  return `${labelOf(best.zkvm)} ${best.proof_kind}, ${value}${runnerUp}`;
}

/** The workload ladder: per model, the best prover by each metric and its lead; the circuit–zkVM crossover; the precompile's worth. */
function workloadSection(groups: readonly ProofGroup[], leftOut: readonly LeftOut[]): string[] {
  const rankings = rankWorkloads(groups);
  const models = new Set(rankings.map((r) => r.model));
  const timedLeftOut = leftOut.filter((l) => !l.claim);
  if (models.size < 2 && !timedLeftOut.length) return [];
  const lines = ["## Workloads: which prover as the model grows", ""];
  lines.push(
    "Each model at one n per machine (the size with the most models proven), each prover at its best: a zkVM with its SHA-256 precompile, " +
      "a circuit compiler in its one mode, each metric at the prover's best proof kind for it. `next`: the runner-up's median over the best's.",
    "",
  );
  for (const set of groupBy(rankings, (r) => [r.machine, r.model])) {
    const { machine, n, model } = set[0];
    const shape = WORKLOAD[model as Workload];
    lines.push(`- **${shape?.label ?? model}**, n = ${n}${new Set(rankings.map((r) => r.machine)).size > 1 ? ` on ${machine}` : ""}:`);
    for (const r of set) lines.push(`  ${RANKED.find((m) => m.key === r.metric)!.best}: ${placingText(r)}`);
  }
  const crossovers = circuitCrossovers(rankings);
  if (crossovers.length) lines.push("", ...crossovers.map((c) => `- Circuit compiler vs zkVMs: ${crossoverSentence(c)}`));
  lines.push("", markdownTable(workloadTable(ladderGroups(groups))), "");
  const gains = precompileGains(groups);
  if (gains.length)
    lines.push(
      "SHA-256 precompile on vs off, in prove time (the same model and n; ratio: software SHA's prove time over the precompile's):",
      "",
      markdownTable(
        gains.map((g) => ({
          machine: g.machine,
          zkvm: labelOf(g.zkvm),
          kind: g.proof_kind,
          model: g.model,
          n: g.n,
          [`precompile ${headerOf("prove_ms")}`]: shown("prove_ms", g.precompile_ms, 1),
          [`software ${headerOf("prove_ms")}`]: shown("prove_ms", g.software_ms, 1),
          ratio: g.ratio.toFixed(2),
        })),
      ),
      "",
    );
  if (timedLeftOut.length)
    lines.push(
      "Left out, their proofs predicted not to fit in this machine's memory (`--ignore-memory-limits` asks anyway):",
      "",
      ...timedLeftOut.map((l) => `- ${labelOf(l.zkvm)}, ${l.model}, n = ${l.n}${l.executeOnly ? " (execute)" : ""}: ${l.why}`),
      "",
    );
  return lines;
}

/** The ladder as a table: per model and prover, work per sample and the costs, prove time also as a ratio to the fastest. */
export function workloadTable(groups: readonly ProofGroup[]): Record<string, string | number | null>[] {
  const fastest = new Map<string, number>();
  for (const g of groups) {
    const k = [g.machine, g.model].join("|");
    fastest.set(k, Math.min(fastest.get(k) ?? Number.POSITIVE_INFINITY, g.prove_ms.median));
  }
  return [...groups]
    .sort(
      (a, b) =>
        a.machine.localeCompare(b.machine) ||
        // A workload this checkout does not know (rows merged from another) sorts last.
        (WORKLOAD[a.model as Workload]?.degree ?? 9) - (WORKLOAD[b.model as Workload]?.degree ?? 9) ||
        a.model.localeCompare(b.model) ||
        a.prove_ms.median - b.prove_ms.median,
    )
    .map((g) => ({
      machine: g.machine,
      model: g.model,
      n: g.n,
      prover: `${labelOf(g.zkvm)} ${g.proof_kind}`,
      [headerOf("work_per_sample")]: g.work_per_sample === null ? null : Math.round(g.work_per_sample),
      [headerOf("prove_ms")]: shown("prove_ms", g.prove_ms.median, 1),
      "× fastest": (g.prove_ms.median / fastest.get([g.machine, g.model].join("|"))!).toFixed(2),
      [headerOf("verify_ms")]: shown("verify_ms", g.verify_ms.median, 1),
      [headerOf("proof_bytes")]: shown("proof_bytes", g.proof_bytes.median, 0),
      [headerOf("peak_rss_host_bytes")]: shown("peak_rss_host_bytes", g.peak_rss_bytes.median, 0),
    }));
}

/** Writes `summary.md` (proofs and cycle fits) and `summary.csv` (proofs, plain numbers). */
export function writeSummary(rows: readonly TidyRow[], paths: SummaryFiles, context: string, claim: ClaimSummaryContext = {}): string {
  const groups = groupProofs(rows);
  const claims = claimSection(rows, claim);
  const markdown = [
    "# Benchmark summary",
    "",
    context,
    "",
    ...claims.lines,
    "## Proofs",
    "",
    "Medians over the repetitions, min–max in parentheses. Warm-up runs, claim proofs (above), failed runs and dev-mode runs are left out.",
    "",
    markdownTable(proofSummary(groups)),
    "",
    "## Guest cycles",
    "",
    "Least-squares fit of user cycles = fixed + per-sample · n over the executed sizes.",
    "",
    markdownTable(cycleFits(rows)),
    "",
    ...circuitSection(groups),
    ...workloadSection(groups, claim.leftOut ?? []),
  ].join("\n");
  writeFileAtomic(paths.markdown, markdown);
  const csvRows = groups.map((g) => Object.fromEntries(Object.entries(PROOF_CSV_COLUMNS).map(([column, value]) => [column, value(g)])));
  // No proofs (an execute-only sweep): a header, so the file still reads as an empty table.
  if (csvRows.length) writeTableCsv(csvRows, paths.csv);
  else writeFileAtomic(paths.csv, Object.keys(PROOF_CSV_COLUMNS).join(",") + "\n");
  // No claim proofs: no claims.csv, so one from an earlier report never passes for this one's.
  if (paths.claimsCsv && claims.claims.length) writeTableCsv(claims.claims, paths.claimsCsv);
  else if (paths.claimsCsv) rmSync(paths.claimsCsv, { force: true });
  return markdown;
}
