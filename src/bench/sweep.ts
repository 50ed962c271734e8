// A benchmark sweep: zkVMs × input sizes × models × options × repetitions.
// Every run appends one self-contained row (configuration, host record,
// external measurements, machine) to the sweep's JSON-lines file the moment
// it finishes, so a killed sweep loses at most the run in flight, and a
// re-run skips every run this machine already completed.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { encodePublicOutput } from "../export/reference.js";
import type { ModelFamily } from "../model/types.js";
import type { TrainedModels } from "../model/train.js";
import { writeFileAtomic } from "../util/fs.js";
import { type HostRun, hostArgs, runFailure, runHost } from "../zkvm/driver.js";
import { type HostRecord, matchesReferenceOutput } from "../zkvm/record.js";
import { type HostBuild, type ZkvmId, hostInfo, proofKindsOf, refusedModelKindsOf, zkvm } from "../zkvm/registry.js";
import { HostServer } from "../zkvm/server.js";
import { type MachineInfo, machineInfo } from "./machine.js";
import { type Progress, createProgress } from "./progress.js";
import { sizedInput } from "./sized-input.js";

export type ShaMode = "precompile" | "software";
export type Command = "execute" | "prove";

export interface SweepSpec {
  zkvms: ZkvmId[];
  /** Cycle counts (execute): cheap, deterministic, one run each. */
  execute: { models: ModelFamily[]; sizes: number[]; sha: ShaMode[] };
  /** Proofs: timed, so repeated; proof kinds per zkVM (its default kind when absent). */
  prove: { models: ModelFamily[]; sizes: number[]; sha: ShaMode[]; kinds?: Record<string, string[]>; repetitions: number };
  /** The claim itself: one proof of each model's whole test set (the export a
   *  claim publishes, n = its size) per zkVM and proof kind, after that zkVM's
   *  timed proofs. `leftOut` names the zkVMs not asked, each with the reason,
   *  which the summary prints: a claim is never skipped silently. */
  claim?: ClaimSpec;
  /** Core counts to prove on, each proof pinned to the first k cores (taskset),
   *  for a core-scaling figure; absent: all cores, unpinned. Executes always use all. */
  cores?: number[];
  /** One untimed-in-figures proof per zkVM before the timed ones (page cache, CPU clocks). */
  warmup: boolean;
  /** Per-run limit; a run past it is killed and recorded as failed. */
  timeoutMs: number;
  fracBits: number;
  /** `serve` (default): one long-lived host per zkVM, its setup paid once and
   *  recorded apart; `one-shot`: a process per run, its peak memory also
   *  measured from outside. */
  hosts?: HostMode;
}

export type HostMode = "serve" | "one-shot";

export interface ClaimSpec {
  models: ModelFamily[];
  /** Proof kinds per zkVM (its default kind when absent; [] for none). */
  kinds?: Record<string, string[]>;
  /** zkVMs whose claim proofs this sweep does not ask for, and why. */
  leftOut?: Record<string, string>;
}

/** One planned run; `key` names it uniquely within a sweep on one machine. */
export interface PlannedRun {
  key: string;
  zkvm: string;
  command: Command;
  proof_kind: string | null;
  model: ModelFamily;
  n: number;
  sha: ShaMode;
  rep: number;
  warmup: boolean;
  /** A proof of the whole test set (the published claim), not a timed size
   *  (absent in rows written before claims: false). */
  claim?: boolean;
  /** The cores the host was pinned to; absent: all, unpinned. */
  cores?: number;
}

/** One line of a sweep file. */
export interface SweepRow extends PlannedRun {
  schema: 1;
  sweep: string;
  machine: MachineInfo;
  started_at: string;
  ok: boolean;
  /** Why the run failed (exit code, host error or timeout); null when ok. */
  failure: string | null;
  exit_code: number | null;
  timed_out: boolean;
  stderr_tail: string | null;
  /** Driver's wall time for the run: the whole host process (one-shot), or the
   *  request to a long-lived host (serve), which excludes that host's setup. */
  wall_ms: number;
  /** How the host ran (absent in rows written before long-lived hosts: one-shot). */
  host_mode?: HostMode;
  /** On the first run of a freshly started long-lived host: its one-time setup
   *  (ms), paid outside this run's wall time; null otherwise. */
  server_setup_ms?: number | null;
  peak_rss_external_bytes: number | null;
  /** The guest's public output equals the TypeScript reference's on the same input. */
  matches_reference: boolean | null;
  input_bytes: number;
  /** How the host binary was compiled (its `info`); null when it could not be read (absent in rows from before). */
  host_build?: HostBuild | null;
  record: HostRecord | null;
}

export const SWEEP_SCHEMA = 1;

function runKey(r: Omit<PlannedRun, "key">): string {
  const key = [r.zkvm, r.command, r.proof_kind ?? "-", r.model, `n${r.n}`, r.sha, r.claim ? "claim" : r.warmup ? "warmup" : `rep${r.rep}`];
  return (r.cores === undefined ? key : [...key, `cores${r.cores}`]).join("|");
}

/** spec/FORMAT.md's model kind of each family. */
const MODEL_KIND: Record<ModelFamily, string> = { linear: "affine", ridge: "affine", "poly-ridge": "polynomial" };

/** The runs of a sweep in the order they are done: cheap executes first, then
 *  proofs by zkVM, each zkVM's claim proofs (of `claimSamples`, the whole test
 *  set) after its timed ones, so one long-lived host serves them all.
 *  `kindsOf` gives a zkVM's proof kinds, its default first, and
 *  `refusedModelKinds` the model kinds its host refuses (EZKL: polynomial),
 *  whose runs are left out (by default both are what its host's `info` says). */
export function planSweep(
  spec: SweepSpec,
  kindsOf: (zkvm: string) => string[] = proofKindsOf,
  refusedModelKinds: (zkvm: string) => string[] = refusedModelKindsOf,
  claimSamples?: number,
): PlannedRun[] {
  if (spec.claim?.models.length && claimSamples === undefined) throw new Error("a sweep with claim proofs is planned with the test set's size");
  const runs: PlannedRun[] = [];
  const refused = new Map<string, string[]>(spec.zkvms.map((z) => [z, refusedModelKinds(z)]));
  const add = (r: Omit<PlannedRun, "key">, into = runs) => {
    if (!refused.get(r.zkvm)?.includes(MODEL_KIND[r.model])) into.push({ key: runKey(r), ...r });
  };
  for (const z of spec.zkvms)
    for (const model of spec.execute.models)
      for (const n of spec.execute.sizes)
        for (const sha of spec.execute.sha) add({ zkvm: z, command: "execute", proof_kind: null, model, n, sha, rep: 0, warmup: false });
  const proving = spec.prove.models.length > 0 && spec.prove.sizes.length > 0 && spec.prove.repetitions > 0;
  const kindsFor = (z: string, asked: Record<string, string[]> | undefined) => {
    if (asked?.[z]?.length === 0) return [];
    const available = kindsOf(z);
    const kinds = asked?.[z] ?? [available[0]];
    for (const kind of kinds) if (!available.includes(kind)) throw new Error(`${z} makes no '${kind}' proofs (it makes: ${available.join(", ")})`);
    return kinds;
  };
  for (const z of spec.zkvms) {
    // This zkVM's proofs, then the same block again per further core count
    // (one pinned host per count: a switch of counts restarts the host).
    const proofs: PlannedRun[] = [];
    const prove = (r: Omit<PlannedRun, "key">) => add(r, proofs);
    for (const kind of proving ? kindsFor(z, spec.prove.kinds) : []) {
      if (spec.warmup) {
        const n = Math.min(...spec.prove.sizes);
        prove({ zkvm: z, command: "prove", proof_kind: kind, model: spec.prove.models[0], n, sha: spec.prove.sha[0], rep: 0, warmup: true });
      }
      for (const model of spec.prove.models)
        for (const n of spec.prove.sizes)
          for (const sha of spec.prove.sha)
            for (let rep = 1; rep <= spec.prove.repetitions; rep++) prove({ zkvm: z, command: "prove", proof_kind: kind, model, n, sha, rep, warmup: false });
    }
    const claim = spec.claim;
    for (const kind of claim?.models.length && claim.leftOut?.[z] === undefined ? kindsFor(z, claim.kinds) : [])
      for (const model of claim!.models)
        prove({
          zkvm: z,
          command: "prove",
          proof_kind: kind,
          model,
          n: claimSamples as number,
          sha: spec.prove.sha[0] ?? "precompile",
          rep: 1,
          warmup: false,
          claim: true,
        });
    if (!spec.cores) runs.push(...proofs);
    else for (const cores of spec.cores) for (const { key: _, ...run } of proofs) runs.push({ key: runKey({ ...run, cores }), ...run, cores });
  }
  return runs;
}

export class SweepFileError extends Error {
  override name = "SweepFileError";
}

/** The rows of a sweep file. A torn last line (the process was killed inside a
 *  write) is dropped and reported through `onTorn`; a bad line elsewhere is an
 *  error naming the file and line. */
export function readSweepRows(path: string, onTorn: (message: string) => void = () => {}): SweepRow[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, "utf8");
  const lines = text.split("\n");
  const rows: SweepRow[] = [];
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    let row: SweepRow;
    try {
      row = JSON.parse(line);
    } catch {
      if (i === lines.length - 1) {
        onTorn(`${path}:${i + 1}: dropped a torn last line (a run was killed while writing)`);
        continue;
      }
      throw new SweepFileError(`${path}:${i + 1}: not a JSON object: ${JSON.stringify(line.slice(0, 80))}`);
    }
    if (row.schema !== SWEEP_SCHEMA) throw new SweepFileError(`${path}:${i + 1}: schema ${JSON.stringify(row.schema)}, expected ${SWEEP_SCHEMA}`);
    rows.push(row);
  }
  return rows;
}

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
}

/** Runs (or resumes) a sweep. A run counts as done once an ok row for its key
 *  from this machine is in the file; failed runs are kept and retried. */
export async function runSweep(name: string, spec: SweepSpec, o: SweepOptions): Promise<SweepResult> {
  const machine = machineInfo();
  for (const cores of spec.cores ?? [])
    if (!Number.isInteger(cores) || cores < 1 || cores > machine.cores)
      throw new RangeError(`cannot prove on ${cores} cores: this machine has ${machine.cores} (choose 1..${machine.cores})`);
  const plan = planSweep(spec, undefined, undefined, o.trained.test.y.length);
  mkdirSync(dirname(o.file), { recursive: true });
  const workDir = o.workDir ?? join(dirname(o.file), `${name}-work`);
  mkdirSync(workDir, { recursive: true });
  const torn: string[] = [];
  const existing = readSweepRows(o.file, (m) => torn.push(m));
  if (torn.length) {
    // Rewrite without the torn line, so new rows start on a line of their own.
    writeFileAtomic(o.file, existing.map((r) => JSON.stringify(r) + "\n").join(""));
    for (const m of torn) process.stderr.write(`${m}\n`);
  }
  const mine = existing.filter((r) => r.machine.id === machine.id);
  const done = new Set(mine.filter((r) => r.ok).map((r) => r.key));
  const todo = plan.filter((r) => !done.has(r.key));
  const progress = o.progress ?? createProgress();
  progress.start(plan, mine);

  // One input per (model, n), shared by every zkVM and command; its expected
  // public output comes from the TypeScript reference.
  // Built once, written to disk only when a run needs it.
  const inputs = new Map<string, { path: string; data: Buffer; expectedHex: string; written: boolean }>();
  const inputFor = (model: ModelFamily, n: number, write = true) => {
    const path = join(workDir, `input-${model}-n${n}-F${spec.fracBits}.bin`);
    let entry = inputs.get(path);
    if (!entry) {
      const bundle = sizedInput(o.trained.models[model], o.trained.test, o.trained.target, n, spec.fracBits);
      entry = { path, data: bundle.input, expectedHex: encodePublicOutput(bundle.output).toString("hex"), written: false };
      inputs.set(path, entry);
    }
    if (write && !entry.written) {
      if (!existsSync(path) || !readFileSync(path).equals(entry.data)) writeFileAtomic(path, entry.data);
      entry.written = true;
    }
    return entry;
  };

  // Reused rows must be of the same inputs: other data, another model or
  // another F would silently mix two experiments in one file.
  for (const row of mine) {
    if (!row.ok || !row.record?.public_output_hex) continue;
    if (!matchesReferenceOutput(row.record, inputFor(row.model, row.n, false).expectedHex))
      throw new SweepFileError(
        `${o.file}: run ${row.key} was recorded on other inputs (its public output differs from this sweep's reference): the data, model or fraction bits changed; start a new sweep with another name`,
      );
  }

  const rows = [...existing];
  let ran = 0;
  let failed = 0;
  const mode = spec.hosts ?? "serve";
  // One long-lived host at a time: it is closed when the sweep moves to another
  // zkVM, so an idle prover never holds memory while another one is measured.
  let server: HostServer | null = null;
  let serverCores: number | undefined;
  const serverFor = async (id: string, cores: number | undefined) => {
    if (server?.zkvm.id !== id || serverCores !== cores) {
      await server?.close();
      server = new HostServer(zkvm(id), { onStderrLine: o.onHostLine, setupTimeoutMs: spec.timeoutMs, cores });
      serverCores = cores;
    }
    return server;
  };
  try {
    for (const run of todo) {
      if (o.maxRuns !== undefined && ran >= o.maxRuns) break;
      const input = inputFor(run.model, run.n);
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
        const served = await (await serverFor(run.zkvm, run.cores)).run(args, { timeoutMs: spec.timeoutMs });
        result = served;
        serverSetupMs = served.setupMs;
      } else result = await runHost(zkvm(run.zkvm), args, { timeoutMs: spec.timeoutMs, onStderrLine: o.onHostLine, cores: run.cores });
      const record = result.record;
      const matchesReference = record ? matchesReferenceOutput(record, input.expectedHex) : null;
      const failure = runFailure(result) ?? (matchesReference === false ? "public output differs from the TypeScript reference's" : null);
      const row: SweepRow = {
        schema: SWEEP_SCHEMA,
        sweep: name,
        ...run,
        machine,
        started_at: startedAt.toISOString(),
        ok: failure === null,
        failure,
        exit_code: result.exitCode,
        timed_out: result.timedOut,
        stderr_tail: failure === null ? null : result.stderrTail,
        wall_ms: Math.round(result.wallMs),
        host_mode: mode,
        server_setup_ms: serverSetupMs === null ? null : Math.round(serverSetupMs),
        peak_rss_external_bytes: result.peakRssExternalBytes,
        matches_reference: matchesReference,
        input_bytes: input.data.length,
        host_build: hostBuildOf(run.zkvm),
        record,
      };
      // One write(2) of one line: a kill leaves either the whole row or a torn last line.
      appendFileSync(o.file, JSON.stringify(row) + "\n");
      rows.push(row);
      ran++;
      if (!row.ok) failed++;
      progress.runFinished(row);
    }
  } finally {
    await (server as HostServer | null)?.close();
  }
  progress.finish();
  return { file: o.file, planned: plan.length, skipped: plan.length - todo.length, ran, failed, rows };
}

/** The host's build flags, or null when its `info` cannot be read (not built: the run itself fails with the reason). */
function hostBuildOf(id: string): HostBuild | null {
  try {
    return hostInfo(zkvm(id)).build;
  } catch {
    return null;
  }
}

/** Writes the spec next to the sweep file, so a sweep's configuration travels with its rows. */
export function writeSweepSpec(file: string, name: string, spec: SweepSpec): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file.replace(/\.jsonl$/, "") + ".spec.json", JSON.stringify({ name, ...spec }, null, 2) + "\n");
}
