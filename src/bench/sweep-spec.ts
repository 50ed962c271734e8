// What a sweep asks for (a preset, or one with flags on top) and the runs it
// is planned into. Pure types: the planner, the runner, the progress display
// and the file reader all share them without importing one another.
import type { KindChoice } from "../zkvm/registry.js";
import type { Workload } from "./workload.js";

export type ShaMode = "precompile" | "software";
export type Command = "execute" | "prove";
export type HostMode = "serve" | "one-shot";

/** A zkVM's proof kinds: chosen from what its host's `info` lists (KindChoice),
 *  or named per zkVM (`--kind sp1:compressed`; [] for none, an absent zkVM: its default). */
export type KindsAsked = KindChoice | Record<string, string[]>;

export interface SweepSpec {
  zkvms: string[];
  /** Cycle counts (execute): cheap, deterministic, one run each. */
  execute: { models: Workload[]; sizes: number[]; sha: ShaMode[] };
  /** Proofs: timed, so repeated; which proof kinds (default: each zkVM's default kind).
   *  The SHA modes apply to provers whose commitments are SHA-256 (the zkVMs); a
   *  prover with its own (EZKL: Poseidon) proves each configuration once. */
  prove: { models: Workload[]; sizes: number[]; sha: ShaMode[]; kinds?: KindsAsked; repetitions: number; zkvms?: ZkvmsAsked };
  /** The workload ladder: blocks of models × sizes × SHA modes, each proven on
   *  the zkVMs and proof kinds of `prove`, for prove time (memory, proof size)
   *  against work per sample, and with the SHA precompile against without. More
   *  than one block lets a preset prove every model with the precompile and
   *  only some without it. A run also in `prove` or an earlier block is proven
   *  once. Absent or []: none. */
  workloads?: WorkloadsSpec[];
  /** The claim itself: one proof of each model's whole test set (the export a
   *  claim publishes, n = its size) per zkVM and proof kind, after that zkVM's
   *  timed proofs. */
  claim?: ClaimSpec;
  /** A proof (timed or the claim) a prover's host says will not fit in this
   *  machine's memory is left out with that reason, which the summary prints:
   *  never skipped silently. True: ask anyway (a proof that does not fit fails
   *  with the reason, out of memory). */
  ignoreMemoryLimits?: boolean;
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

/** Which of the sweep's zkVMs prove: all (default), or those the zkVM table
 *  marks `smoke` (the quick checks: the shortest setup). */
export type ZkvmsAsked = "all" | "smoke";

export interface WorkloadsSpec {
  models: Workload[];
  sizes: number[];
  sha: ShaMode[];
  repetitions: number;
}

export interface ClaimSpec {
  models: Workload[];
  /** Proof kinds (default: each zkVM's default kind). */
  kinds?: KindsAsked;
}

/** One planned run; `key` names it uniquely within a sweep on one machine. */
export interface PlannedRun {
  key: string;
  zkvm: string;
  command: Command;
  proof_kind: string | null;
  model: Workload;
  n: number;
  sha: ShaMode;
  rep: number;
  warmup: boolean;
  /** A proof of the whole test set (the published claim), not a timed size. */
  claim: boolean;
  /** The cores the host was pinned to; absent: all, unpinned. */
  cores?: number;
}
