// Running a sweep: zkVMs × input sizes × models × options × repetitions, as
// planned (plan.ts). Every run appends one self-contained row to the sweep's
// JSON-lines file the moment it finishes (sweep-file.ts), so a killed sweep
// loses at most the run in flight, and a re-run skips every run this machine
// already completed.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { TrainedModels } from "../model/train.js";
import { type HostRun, hostArgs, runFailure, runHost } from "../zkvm/driver.js";
import { matchesReferenceOutput } from "../zkvm/record.js";
import { type HostBuild, hostInfo, zkvm } from "../zkvm/registry.js";
import { HostServer } from "../zkvm/server.js";
import { machineInfo } from "./machine.js";
import { type LeftOut, planSweep } from "./plan.js";
import { type Progress, createProgress } from "./progress.js";
import { SweepInputs } from "./sized-input.js";
import { SWEEP_SCHEMA, SweepFileError, type SweepRow, appendSweepRow, readSweepRows, rewriteSweepRows } from "./sweep-file.js";
import type { HostMode, PlannedRun, SweepSpec } from "./sweep-spec.js";
import { WORKLOAD, type WorkloadModels, termsOf, workloadModels } from "./workload.js";

export interface SweepOptions {
  /** The sweep's JSON-lines file (created, or resumed). */
  file: string;
  /** Where sized inputs and proofs go (default: beside the file). */
  workDir?: string;
  trained: TrainedModels;
  /** Stop after this many new runs (tests; a partial sweep resumes later). */
  maxRuns?: number;
  progress?: Progress;
  /** Each host stderr line, for verbose runs. */
  onHostLine?: (line: string) => void;
}

export interface SweepResult {
  file: string;
  planned: number;
  /** Runs already completed before this invocation. */
  skipped: number;
  /** Runs done by this invocation, and how many of them failed. */
  ran: number;
  failed: number;
  rows: SweepRow[];
  /** Claim proofs the plan left out, each with why (the summary prints them). */
  leftOut: LeftOut[];
}

/** One long-lived host at a time: it is closed when the sweep moves to another
 *  zkVM or core count, so an idle prover never holds memory while another one is measured. */
class OneHostAtATime {
  private server: HostServer | null = null;
  private cores: number | undefined;

  constructor(private o: { onHostLine?: (line: string) => void; setupTimeoutMs: number }) {}

  async for(id: string, cores: number | undefined): Promise<HostServer> {
    if (this.server?.zkvm.id !== id || this.cores !== cores) {
      await this.server?.close();
      this.server = new HostServer(zkvm(id), { onStderrLine: this.o.onHostLine, setupTimeoutMs: this.o.setupTimeoutMs, cores });
      this.cores = cores;
    }
    return this.server;
  }

  async close(): Promise<void> {
    await this.server?.close();
    this.server = null;
  }
}

/** Runs (or resumes) a sweep. A run counts as done once an ok row for its key
 *  from this machine is in the file; failed runs are kept and retried. */
export async function runSweep(name: string, spec: SweepSpec, o: SweepOptions): Promise<SweepResult> {
  const machine = machineInfo();
  for (const cores of spec.cores ?? [])
    if (!Number.isInteger(cores) || cores < 1 || cores > machine.cores)
      throw new RangeError(`cannot prove on ${cores} cores: this machine has ${machine.cores} (choose 1..${machine.cores})`);
  const { runs: plan, leftOut } = planSweep(spec, { claimSamples: o.trained.test.y.length, features: o.trained.featureNames.length });
  mkdirSync(dirname(o.file), { recursive: true });
  const workDir = o.workDir ?? join(dirname(o.file), `${name}-work`);
  mkdirSync(workDir, { recursive: true });
  const torn: string[] = [];
  const existing = readSweepRows(o.file, (m) => torn.push(m));
  if (torn.length) {
    // Rewrite without the torn line, so new rows start on a line of their own.
    rewriteSweepRows(o.file, existing);
    for (const m of torn) process.stderr.write(`${m}\n`);
  }
  const mine = existing.filter((r) => r.machine.id === machine.id);
  const done = new Set(mine.filter((r) => r.ok).map((r) => r.key));
  const todo = plan.filter((r) => !done.has(r.key));
  const progress = o.progress ?? createProgress();
  progress.start(plan, mine);
  const models = workloadModels(o.trained);
  const inputs = new SweepInputs(models, workDir, spec.fracBits);

  // Reused rows must be of the same inputs: other data, another model or
  // another F would silently mix two experiments in one file.
  for (const row of mine) {
    if (!row.ok || !row.record?.public_output_hex) continue;
    if (!matchesReferenceOutput(row.record, inputs.get(row.model, row.n, false).expectedHex))
      throw new SweepFileError(
        `${o.file}: run ${row.key} was recorded on other inputs (its public output differs from this sweep's reference): the data, model or fraction bits changed; start a new sweep with another name`,
      );
  }

  const rows = [...existing];
  let ran = 0;
  let failed = 0;
  const mode = spec.hosts ?? "serve";
  const hosts = new OneHostAtATime({ onHostLine: o.onHostLine, setupTimeoutMs: spec.timeoutMs });
  try {
    for (const run of todo) {
      if (o.maxRuns !== undefined && ran >= o.maxRuns) break;
      const input = inputs.get(run.model, run.n);
      const args =
        run.command === "execute"
          ? hostArgs.execute(input.path, run.sha)
          : hostArgs.prove({
              input: input.path,
              proof: join(workDir, `${run.zkvm}-${run.proof_kind}-${run.model}-n${run.n}-${run.sha}${run.claim ? "-claim" : ""}.proof`),
              sha: run.sha,
              kind: run.proof_kind ?? undefined,
            });
      const startedAt = new Date();
      progress.runStarted(run);
      let result: HostRun;
      let serverSetupMs: number | null = null;
      if (mode === "serve") {
        const served = await (await hosts.for(run.zkvm, run.cores)).run(args, { timeoutMs: spec.timeoutMs });
        result = served;
        serverSetupMs = served.setupMs;
      } else result = await runHost(zkvm(run.zkvm), args, { timeoutMs: spec.timeoutMs, onStderrLine: o.onHostLine, cores: run.cores });
      const row = sweepRow(name, run, models, {
        machine,
        startedAt,
        result,
        mode,
        serverSetupMs,
        expectedHex: input.expectedHex,
        inputBytes: input.data.length,
      });
      appendSweepRow(o.file, row);
      rows.push(row);
      ran++;
      if (!row.ok) failed++;
      progress.runFinished(row);
    }
  } finally {
    await hosts.close();
  }
  progress.finish();
  return { file: o.file, planned: plan.length, skipped: plan.length - todo.length, ran, failed, rows, leftOut };
}

/** One run's row: its plan, the host's record, the driver's own measurements
 *  and whether the public output is the TypeScript reference's. */
function sweepRow(
  name: string,
  run: PlannedRun,
  models: WorkloadModels,
  r: {
    machine: SweepRow["machine"];
    startedAt: Date;
    result: HostRun;
    mode: HostMode;
    serverSetupMs: number | null;
    expectedHex: string;
    inputBytes: number;
  },
): SweepRow {
  const record = r.result.record;
  const matchesReference = record ? matchesReferenceOutput(record, r.expectedHex) : null;
  const failure = runFailure(r.result) ?? (matchesReference === false ? "public output differs from the TypeScript reference's" : null);
  return {
    schema: SWEEP_SCHEMA,
    sweep: name,
    ...run,
    family: WORKLOAD[run.model].family,
    degree: WORKLOAD[run.model].degree,
    terms: termsOf(run.model, models.featureNames.length),
    machine: r.machine,
    started_at: r.startedAt.toISOString(),
    ok: failure === null,
    failure,
    exit_code: r.result.exitCode,
    timed_out: r.result.timedOut,
    stderr_tail: failure === null ? null : r.result.stderrTail,
    wall_ms: Math.round(r.result.wallMs),
    host_mode: r.mode,
    server_setup_ms: r.serverSetupMs === null ? null : Math.round(r.serverSetupMs),
    peak_rss_external_bytes: r.result.peakRssExternalBytes,
    matches_reference: matchesReference,
    input_bytes: r.inputBytes,
    host_build: hostBuildOf(run.zkvm),
    record,
  };
}

/** The host's build flags, or null when its `info` cannot be read (not built: the run itself fails with the reason). */
function hostBuildOf(id: string): HostBuild | null {
  try {
    return hostInfo(zkvm(id)).build;
  } catch {
    return null;
  }
}
