// Sweep rows → one tidy table (one row per run, flat columns), merged across
// sweep files and machines; medians with min–max per configuration; CSV and
// Parquet through nodejs-polars.
import pl from "nodejs-polars";
import { median } from "simple-statistics";
import { writeAtomically } from "../util/fs.js";
import { groupBy } from "../util/group.js";
import { isCircuit } from "./circuit-vs-zkvm.js";
import { readSweepRows, type SweepRow } from "./sweep.js";

/** One run, flattened for tables, CSV, Parquet and figures. */
export interface TidyRow {
  sweep: string;
  machine: string;
  arch: string;
  cpu_model: string;
  /** The machine's prover-relevant CPU extensions, comma-separated (null: unknown). */
  cpu_flags: string | null;
  cores: number;
  /** The cores the host ran on: pinned to the first k (a core-scaling sweep), or all of the machine's. */
  cores_used: number;
  ram_gib: number;
  gpu: string | null;
  os: string;
  git_rev: string | null;
  zkvm: string;
  zkvm_version: string | null;
  /** The host's `-C target-cpu` ("baseline": none, portable); null when unknown (rows from before, or a prover not compiled here). */
  host_target_cpu: string | null;
  /** The SIMD and crypto features the host's compiler could assume, comma-separated. */
  host_target_features: string | null;
  command: string;
  proof_kind: string | null;
  model: string;
  n: number;
  sha: string;
  rep: number;
  warmup: boolean;
  /** A proof of the whole test set (the claim), kept out of the timed sizes' medians. */
  claim: boolean;
  dev_mode: boolean;
  ok: boolean;
  /** Why the run failed (exit code and error, timeout); null when ok. */
  failure: string | null;
  matches_reference: boolean | null;
  started_at: string;
  wall_ms: number;
  /** `serve` (a long-lived host) or `one-shot` (a process per run). */
  host_mode: string;
  /** A long-lived host's one-time setup, on the first run it answered. */
  server_setup_ms: number | null;
  execute_ms: number | null;
  prove_ms: number | null;
  verify_ms: number | null;
  total_cycles: number | null;
  user_cycles: number | null;
  segments: number | null;
  proof_bytes: number | null;
  peak_rss_host_bytes: number | null;
  peak_rss_external_bytes: number | null;
  /** Proving throughput: total cycles per second of proving. */
  cycles_per_second: number | null;
  setup_ms: number | null;
  /** `generated` or `cache`: whether this host process derived its keys or loaded them (null: no keys, or rows from before). */
  keys: string | null;
  host_ms: number | null;
  /** The driver's wall time, less the setup the host reported for this request
   *  (`setup_ms`: a one-shot host's keys and prover, a long-lived host's prover
   *  built on its first proof), over the host's prove + verify timers: what a
   *  proof costs beyond proving and verifying it. Setup is in its own columns
   *  (`setup_ms`, and `server_setup_ms` paid once per long-lived host). */
  wall_over_prove_verify: number | null;
  /** The driver's own overhead: its wall time over the host's own process time,
   *  minus one (process start, /usr/bin/time, reading the record). */
  driver_overhead: number | null;
  r2: number | null;
  model_commitment: string | null;
  data_commitment: string | null;
}

export function tidy(row: SweepRow): TidyRow {
  const r = row.record;
  const out = r?.public_output as Record<string, unknown> | null | undefined;
  const proveMs = r?.prove_ms ?? null;
  return {
    sweep: row.sweep,
    machine: row.machine.id,
    arch: row.machine.arch,
    cpu_model: row.machine.cpu_model,
    cpu_flags: row.machine.cpu_flags?.join(",") ?? null,
    cores: row.machine.cores,
    cores_used: row.cores ?? row.machine.cores,
    ram_gib: +(row.machine.ram_bytes / 2 ** 30).toFixed(1),
    gpu: row.machine.gpu,
    os: row.machine.os,
    git_rev: row.machine.git_rev,
    zkvm: row.zkvm,
    zkvm_version: r?.zkvm_version ?? null,
    host_target_cpu: row.host_build?.rustflags == null ? null : (row.host_build.target_cpu ?? "baseline"),
    host_target_features: row.host_build?.rustflags == null ? null : row.host_build.target_features.join(","),
    command: row.command,
    proof_kind: row.proof_kind,
    model: row.model,
    n: row.n,
    sha: row.sha,
    rep: row.rep,
    warmup: row.warmup,
    claim: row.claim ?? false,
    dev_mode: r?.dev_mode ?? false,
    ok: row.ok,
    failure: row.failure,
    matches_reference: row.matches_reference,
    started_at: row.started_at,
    wall_ms: row.wall_ms,
    host_mode: row.host_mode ?? "one-shot",
    server_setup_ms: row.server_setup_ms ?? null,
    execute_ms: r?.execute_ms ?? null,
    prove_ms: proveMs,
    verify_ms: r?.verify_ms ?? null,
    total_cycles: r?.total_cycles ?? null,
    user_cycles: r?.user_cycles ?? null,
    segments: r?.segments ?? null,
    proof_bytes: r?.proof_bytes ?? null,
    peak_rss_host_bytes: r?.peak_rss_bytes ?? null,
    peak_rss_external_bytes: row.peak_rss_external_bytes,
    // A circuit's total_cycles are its rows: no cycles to put a throughput on.
    cycles_per_second: proveMs && r?.total_cycles && !isCircuit(row.zkvm) ? Math.round(r.total_cycles / (proveMs / 1000)) : null,
    setup_ms: r?.setup_ms ?? null,
    keys: r?.keys ?? null,
    host_ms: r?.host_ms ?? null,
    wall_over_prove_verify: proveMs && r?.verify_ms != null ? +((row.wall_ms - (r.setup_ms ?? 0)) / (proveMs + r.verify_ms)).toFixed(4) : null,
    driver_overhead: r?.host_ms ? +(row.wall_ms / r.host_ms - 1).toFixed(4) : null,
    r2: r?.score?.r2 ?? null,
    model_commitment: typeof out?.model_commitment === "string" ? out.model_commitment : null,
    data_commitment: typeof out?.data_commitment === "string" ? out.data_commitment : null,
  };
}

/** Rows of several sweep files (several machines), one copy of each run. */
export function loadResults(files: readonly string[]): TidyRow[] {
  const seen = new Set<string>();
  const rows: TidyRow[] = [];
  for (const file of files)
    for (const row of readSweepRows(file, (m) => process.stderr.write(`${m}\n`))) {
      const id = `${row.machine.id}|${row.sweep}|${row.key}|${row.started_at}`;
      if (seen.has(id)) continue;
      seen.add(id);
      rows.push(tidy(row));
    }
  return rows;
}

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
