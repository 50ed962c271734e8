// Sweep rows → tidy rows (spec/tidy-row.schema.json): one row per run, flat
// columns, merged across sweep files and machines, for tables, CSV, Parquet and figures.
import { type TidyRow, specVersion } from "../spec/records.js";
import { isCircuit } from "../zkvm/registry.js";
import { type SweepRow, readSweepRows } from "./sweep-file.js";

export type { TidyRow } from "../spec/records.js";

export const TIDY_SCHEMA = specVersion("tidy-row") as TidyRow["schema"];

export function tidy(row: SweepRow): TidyRow {
  const r = row.record;
  const out = r?.public_output as Record<string, unknown> | null | undefined;
  const proveMs = r?.prove_ms ?? null;
  return {
    schema: TIDY_SCHEMA,
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
    family: row.family,
    degree: row.degree,
    terms: row.terms,
    n: row.n,
    sha: row.sha,
    rep: row.rep,
    warmup: row.warmup,
    claim: row.claim,
    dev_mode: r?.dev_mode ?? false,
    ok: row.ok,
    failure: row.failure,
    matches_reference: row.matches_reference,
    started_at: row.started_at,
    wall_ms: row.wall_ms,
    host_mode: row.host_mode,
    server_setup_ms: row.server_setup_ms,
    execute_ms: r?.execute_ms ?? null,
    prove_ms: proveMs,
    verify_ms: r?.verify_ms ?? null,
    total_cycles: r?.total_cycles ?? null,
    user_cycles: r?.user_cycles ?? null,
    work_per_sample: r?.user_cycles == null ? null : +(r.user_cycles / row.n).toFixed(2),
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
