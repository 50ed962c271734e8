// Tidy rows → what figures and tables compare: medians with min–max per
// configuration, cycle fits; CSV and Parquet through nodejs-polars.
import pl from "nodejs-polars";
import { median } from "simple-statistics";
import { writeAtomically } from "../util/fs.js";
import { groupBy } from "../util/group.js";
import { isCircuit } from "../zkvm/registry.js";
import type { TidyRow } from "./tidy.js";

/** The runs figures and summaries may use: successful, not warm-ups, not the
 *  single claim proofs (they have their own table), and for proofs real ones
 *  only (a dev-mode or mock "proof" is never plotted). */
export function measuredRows(rows: readonly TidyRow[], command: "execute" | "prove"): TidyRow[] {
  return rows.filter((r) => r.ok && !r.warmup && !r.claim && r.command === command && !(command === "prove" && r.dev_mode));
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(values: readonly number[]): Spread | null {
  return values.length ? { median: median([...values]), min: Math.min(...values), max: Math.max(...values) } : null;
}

/** Proof runs grouped by what a figure or table row compares. */
export interface ProofGroup {
  machine: string;
  arch: string;
  zkvm: string;
  zkvm_version: string | null;
  host_target_cpu: string | null;
  cores_used: number;
  proof_kind: string;
  model: string;
  sha: string;
  n: number;
  runs: number;
  total_cycles: number | null;
  /** User cycles (a circuit: rows) per sample; deterministic, so the first run's. */
  work_per_sample: number | null;
  segments: number | null;
  prove_ms: Spread;
  verify_ms: Spread;
  proof_bytes: Spread;
  /** The larger of the host's own and the external measurement, per run. */
  peak_rss_bytes: Spread;
  cycles_per_second: Spread | null;
  setup_ms: Spread | null;
  wall_over_prove_verify: Spread | null;
  driver_overhead: Spread | null;
}

export function groupProofs(rows: readonly TidyRow[]): ProofGroup[] {
  // Hosts built for other CPUs are other experiments: never one median.
  const groups = groupBy(measuredRows(rows, "prove"), (r) => [r.machine, r.zkvm, r.host_target_cpu, r.cores_used, r.proof_kind, r.model, r.sha, r.n]);
  const values = (g: TidyRow[], f: (r: TidyRow) => number | null) => g.map(f).filter((v): v is number => v !== null);
  return groups
    .map((g) => {
      const first = g[0];
      return {
        machine: first.machine,
        arch: first.arch,
        zkvm: first.zkvm,
        zkvm_version: first.zkvm_version,
        host_target_cpu: first.host_target_cpu,
        cores_used: first.cores_used,
        proof_kind: first.proof_kind ?? "",
        model: first.model,
        sha: first.sha,
        n: first.n,
        runs: g.length,
        total_cycles: first.total_cycles,
        work_per_sample: first.work_per_sample,
        segments: first.segments,
        prove_ms: spread(values(g, (r) => r.prove_ms))!,
        verify_ms: spread(values(g, (r) => r.verify_ms))!,
        proof_bytes: spread(values(g, (r) => r.proof_bytes))!,
        peak_rss_bytes: spread(values(g, (r) => Math.max(r.peak_rss_host_bytes ?? 0, r.peak_rss_external_bytes ?? 0)))!,
        cycles_per_second: spread(values(g, (r) => r.cycles_per_second)),
        setup_ms: spread(values(g, (r) => r.setup_ms)),
        wall_over_prove_verify: spread(values(g, (r) => r.wall_over_prove_verify)),
        driver_overhead: spread(values(g, (r) => r.driver_overhead)),
      };
    })
    .sort(
      (a, b) =>
        a.machine.localeCompare(b.machine) ||
        a.zkvm.localeCompare(b.zkvm) ||
        a.proof_kind.localeCompare(b.proof_kind) ||
        a.model.localeCompare(b.model) ||
        a.sha.localeCompare(b.sha) ||
        a.n - b.n,
    );
}

/** Cycle counts from execute runs: deterministic, so one value per configuration. */
export interface CycleGroup {
  machine: string;
  zkvm: string;
  model: string;
  sha: string;
  n: number;
  user_cycles: number;
  total_cycles: number;
}

export function cycleCounts(rows: readonly TidyRow[]): CycleGroup[] {
  const byKey = new Map<string, CycleGroup>();
  // A circuit's "cycles" are its rows (guests/ezkl): not guest cycles, so not counted here.
  for (const r of measuredRows(rows, "execute").filter((x) => !isCircuit(x.zkvm)))
    byKey.set([r.machine, r.zkvm, r.model, r.sha, r.n].join("|"), {
      machine: r.machine,
      zkvm: r.zkvm,
      model: r.model,
      sha: r.sha,
      n: r.n,
      user_cycles: r.user_cycles ?? 0,
      total_cycles: r.total_cycles ?? 0,
    });
  return [...byKey.values()].sort((a, b) => a.zkvm.localeCompare(b.zkvm) || a.model.localeCompare(b.model) || a.sha.localeCompare(b.sha) || a.n - b.n);
}

/** Least-squares line cycles = fixed + perSample·n. */
export function fitCycles(points: readonly { n: number; cycles: number }[]): { fixed: number; perSample: number } {
  const mx = points.reduce((s, p) => s + p.n, 0) / points.length;
  const my = points.reduce((s, p) => s + p.cycles, 0) / points.length;
  const sxx = points.reduce((s, p) => s + (p.n - mx) ** 2, 0);
  const perSample = points.reduce((s, p) => s + (p.n - mx) * (p.cycles - my), 0) / sxx;
  return { fixed: my - perSample * mx, perSample };
}

/** Fixed cycles and cycles per sample per (zkVM, model, SHA mode), from at least two sizes. */
export function cycleFits(
  rows: readonly TidyRow[],
): { machine: string; zkvm: string; model: string; sha: string; sizes: number; fixed_cycles: number; cycles_per_sample: number }[] {
  const groups = groupBy(cycleCounts(rows), (c) => [c.machine, c.zkvm, c.model, c.sha]);
  return groups
    .filter((g) => new Set(g.map((c) => c.n)).size >= 2)
    .map((g) => {
      const fit = fitCycles(g.map((c) => ({ n: c.n, cycles: c.user_cycles })));
      return {
        machine: g[0].machine,
        zkvm: g[0].zkvm,
        model: g[0].model,
        sha: g[0].sha,
        sizes: g.length,
        fixed_cycles: Math.round(fit.fixed),
        cycles_per_sample: +fit.perSample.toFixed(1),
      };
    });
}

/** A table of records as a polars DataFrame (columns in the first record's order, nulls kept). */
export function tableFrame(rows: readonly object[]): pl.DataFrame {
  if (!rows.length) throw new Error("no rows to export");
  const columns = Object.keys(rows[0]);
  return pl.DataFrame(Object.fromEntries(columns.map((c) => [c, rows.map((r) => (r as Record<string, unknown>)[c] ?? null)])));
}

export function writeTableCsv(rows: readonly object[], path: string): void {
  writeAtomically(path, (partial) => tableFrame(rows).writeCSV(partial));
}

export function writeTableParquet(rows: readonly object[], path: string): void {
  writeAtomically(path, (partial) => tableFrame(rows).writeParquet(partial));
}
