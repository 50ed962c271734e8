// A plausible sweep row, for the tests of what is computed from rows
// (results, summaries, figures): every field the schema requires, the
// measurements given.
import { machineInfo } from "../../src/bench/machine.js";
import type { SweepRow } from "../../src/bench/sweep-file.js";
import type { PlannedRun } from "../../src/bench/sweep-spec.js";
import { WORKLOAD, termsOf } from "../../src/bench/workload.js";

/** A plausible row of a run on machine `id`, for aggregation tests. */
export function row(
  run: Partial<PlannedRun> & { n: number },
  measured: { prove_ms?: number; verify_ms?: number; cycles?: number; user_cycles?: number; proof_bytes?: number; rss?: number; ok?: boolean },
  machine = "lab/x86_64",
  rep = 1,
): SweepRow {
  const planned = {
    zkvm: "risc0",
    command: "prove" as const,
    proof_kind: "composite",
    model: "ridge" as const,
    sha: "precompile" as const,
    rep,
    warmup: false,
    claim: false,
    ...run,
  };
  const proving = planned.command === "prove";
  return {
    schema: 3,
    sweep: "t",
    key: `${planned.zkvm}|${planned.command}|${planned.n}|${rep}|${planned.sha}`,
    ...planned,
    family: WORKLOAD[planned.model].family,
    degree: WORKLOAD[planned.model].degree,
    terms: termsOf(planned.model, 7),
    machine: { ...machineInfo(), id: machine, arch: machine.split("/")[1] },
    started_at: new Date(Date.UTC(2026, 10, 25, 0, 0, rep)).toISOString(),
    ok: measured.ok ?? true,
    failure: measured.ok === false ? "exit 1: boom" : null,
    exit_code: measured.ok === false ? 1 : 0,
    timed_out: false,
    stderr_tail: null,
    wall_ms: (measured.prove_ms ?? 1000) + 500,
    peak_rss_external_bytes: (measured.rss ?? 2 ** 30) + 4096,
    matches_reference: true,
    input_bytes: 1000,
    host_mode: "one-shot",
    server_setup_ms: null,
    host_build: null,
    record: {
      schema: 1,
      ok: measured.ok ?? true,
      error: null,
      command: planned.command,
      zkvm: planned.zkvm,
      zkvm_version: "3.0.6",
      proof_kind: proving ? planned.proof_kind : null,
      sha: planned.sha,
      dev_mode: false,
      program_id: "ab",
      input_bytes: 1000,
      total_cycles: measured.cycles ?? 65536,
      user_cycles: measured.user_cycles ?? (measured.cycles ?? 65536) / 2,
      segments: 1,
      execute_ms: 5,
      prove_ms: proving ? (measured.prove_ms ?? 1000) : null,
      verify_ms: proving ? (measured.verify_ms ?? 12) : null,
      proof_path: null,
      proof_bytes: proving ? (measured.proof_bytes ?? 200_000) : null,
      peak_rss_bytes: measured.rss ?? 2 ** 30,
      peak_rss_scope: "process",
      setup_ms: 100,
      keys: null,
      host_ms: (measured.prove_ms ?? 1000) + 400,
      public_output_hex: "00",
      public_output: { model_commitment: "aa", data_commitment: "bb", n_samples: planned.n },
      score: { r2: 0.39, mse: 1, mae: 1 },
      exit_code: measured.ok === false ? 1 : 0,
      setup_trust: null,
    },
  };
}
