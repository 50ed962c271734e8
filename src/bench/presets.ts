// Named sweeps and how flags change them. `paper` is what `npm run paper` runs:
// the timed sizes, the workload ladder and the claim, sized to fit 60 min on a 2-core machine
// (docs/results-by-prover.md: measured end to end); `tiny` is CI's, `full` a
// big machine's; the flags of `zkml sweep` make others. No prover is named
// here: which proof kinds exist, which a claim uses and how much memory a
// proof needs, each host's `info` says.
import os from "node:os";
import { DEFAULT_FRAC_BITS } from "../export/write.js";
import { ZKVM_IDS } from "../zkvm/registry.js";
import type { HostMode, ShaMode, SweepSpec, WorkloadsSpec } from "./sweep-spec.js";
import { WORKLOADS, type Workload } from "./workload.js";

const MINUTE = 60_000;

export const SWEEP_PRESETS: Record<string, SweepSpec> = {
  /** Cycle counts of every workload with and without the SHA precompile, then
   *  the workload ladder at n = 100, one proof each: ridge, degree 2 and
   *  degree 3 with the precompile (prove time, memory and proof size against
   *  work per sample) and ridge without it (what the precompile is worth in
   *  seconds), then ridge at n = 1,000 (a second size for the timed figure),
   *  then the claim. Linear is counted but not proven: its trace is ridge's to
   *  within 2 cycles (the same 8 terms per sample, other weights), so its
   *  proof would time the same work again. One proof per configuration: the
   *  spread of repeated runs here is measured apart (docs/results-by-prover.md).
   *  No separate warm-up: the executes before the proofs already load each
   *  host binary and input. Sized for 60 min on 2 cores (measured end to end:
   *  docs/results-by-prover.md; the claim alone is 16 min, RISC Zero's 12).
   *  What it leaves to `full` (every model in both SHA modes, the ladder at
   *  n = 1,000, SP1's compressed claim) README says. */
  paper: {
    zkvms: [...ZKVM_IDS],
    execute: { models: [...WORKLOADS], sizes: [10, 100, 1000, 10_000], sha: ["precompile", "software"] },
    prove: { models: ["ridge"], sizes: [1000], sha: ["precompile"], kinds: "default", repetitions: 1 },
    workloads: [
      { models: ["ridge", "poly2", "poly3"], sizes: [100], sha: ["precompile"], repetitions: 1 },
      { models: ["ridge"], sizes: [100], sha: ["software"], repetitions: 1 },
    ],
    // The headline: the ridge model's score on the whole test set, proven once
    // per zkVM and each proof kind its host marks for a claim (`full`: every
    // kind, SP1's compressed proof too); a prover whose host predicts the claim
    // will not fit in this machine's memory (EZKL's circuit on 24 GiB) is left
    // out, saying why.
    claim: { models: ["ridge"], kinds: "claim" },
    warmup: false,
    timeoutMs: 30 * MINUTE,
    fracBits: DEFAULT_FRAC_BITS,
  },
  /** The largest sizes: one proof per size up to n = 100,000, every proof kind,
   *  the workload ladder at n = 100 and 1,000, and the claim on every prover. A run that does not fit in memory or in its
   *  6 hours is recorded as a failed row with the reason (out of memory,
   *  timeout); the rest go on. Not run on the 2-core machine:
   *  docs/results-by-prover.md has the estimate. */
  full: {
    zkvms: [...ZKVM_IDS],
    execute: { models: [...WORKLOADS], sizes: [10, 100, 1000, 10_000, 100_000], sha: ["precompile", "software"] },
    prove: { models: ["ridge"], sizes: [10, 100, 1000, 10_000, 100_000], sha: ["precompile"], kinds: "all", repetitions: 1 },
    workloads: [{ models: [...WORKLOADS], sizes: [100, 1000], sha: ["precompile", "software"], repetitions: 1 }],
    claim: { models: ["ridge"], kinds: "all" },
    ignoreMemoryLimits: true,
    warmup: false,
    timeoutMs: 360 * MINUTE,
    fracBits: DEFAULT_FRAC_BITS,
  },
  /** A few minutes: CI and notebook 05's headless run. Every zkVM executes
   *  every workload; only those the zkVM table marks `smoke` prove (the
   *  shortest setup; the host tests prove on all): ridge, and the heaviest
   *  model once, so the workload figure has two points. */
  tiny: {
    zkvms: [...ZKVM_IDS],
    execute: { models: [...WORKLOADS], sizes: [10, 100], sha: ["precompile", "software"] },
    prove: { models: ["ridge"], sizes: [10], sha: ["precompile"], kinds: "default", zkvms: "smoke", repetitions: 2 },
    workloads: [{ models: ["ridge", "poly3"], sizes: [10], sha: ["precompile"], repetitions: 1 }],
    warmup: false,
    timeoutMs: 10 * MINUTE,
    fracBits: DEFAULT_FRAC_BITS,
  },
};

export function sweepPreset(name: string): SweepSpec {
  const spec = SWEEP_PRESETS[name];
  if (!spec) throw new Error(`unknown sweep preset '${name}' (known: ${Object.keys(SWEEP_PRESETS).join(", ")})`);
  return structuredClone(spec);
}

/** What the flags of `zkml sweep` and `zkml paper` may change, already parsed. */
export interface SweepFlags {
  preset: string;
  zkvm?: string[];
  executeModels?: Workload[];
  executeSizes?: number[];
  sha?: ShaMode[];
  proveModels?: Workload[];
  proveSizes?: number[];
  proveSha?: ShaMode[];
  /** Proof kinds per zkVM (`--kind sp1:compressed`): a zkVM not named makes none. */
  kind?: { zkvm: string; kind: string }[];
  reps?: number;
  workloadModels?: Workload[];
  workloadSizes?: number[];
  workloadSha?: ShaMode[];
  workloadReps?: number;
  warmup?: boolean;
  timeout?: number;
  hosts?: HostMode;
  claimModels?: Workload[];
  /** Ask for every proof, also those a host predicts will not fit in memory. */
  ignoreMemoryLimits?: boolean;
  cores?: number[];
}

/** The preset with the flags applied on top. */
export function sweepSpecOf(f: SweepFlags): SweepSpec {
  const spec = sweepPreset(f.preset);
  if (f.zkvm !== undefined) spec.zkvms = f.zkvm;
  if (f.executeModels !== undefined) spec.execute.models = f.executeModels;
  if (f.executeSizes !== undefined) spec.execute.sizes = f.executeSizes;
  if (f.sha !== undefined) spec.execute.sha = f.sha;
  if (f.proveModels !== undefined) spec.prove.models = f.proveModels;
  if (f.proveSizes !== undefined) spec.prove.sizes = f.proveSizes;
  if (f.proveSha !== undefined) spec.prove.sha = f.proveSha;
  if (f.kind !== undefined) {
    const kinds: Record<string, string[]> = Object.fromEntries(spec.zkvms.map((z) => [z, []]));
    for (const { zkvm, kind } of f.kind) {
      if (!(zkvm in kinds)) throw new Error(`--kind ${zkvm}:${kind}: ${zkvm} is not among the sweep's zkVMs (${spec.zkvms.join(", ")})`);
      kinds[zkvm].push(kind);
    }
    spec.prove.kinds = kinds;
    delete spec.prove.zkvms; // the kinds name the zkVMs that prove
  }
  if (f.reps !== undefined) spec.prove.repetitions = f.reps;
  if ([f.workloadModels, f.workloadSizes, f.workloadSha, f.workloadReps].some((v) => v !== undefined)) {
    // The flags make the ladder one block: what they do not name comes from the
    // preset's blocks (every model, size and SHA mode in them), or, on a preset
    // without a ladder, from the timed sizes' settings.
    const blocks = spec.workloads ?? [];
    const union = <T>(pick: (b: WorkloadsSpec) => T[], otherwise: T[]) => (blocks.length ? [...new Set(blocks.flatMap(pick))] : otherwise);
    spec.workloads = [
      {
        models: f.workloadModels ?? union((b) => b.models, []),
        sizes: f.workloadSizes ?? union((b) => b.sizes, spec.prove.sizes),
        sha: f.workloadSha ?? union((b) => b.sha, spec.prove.sha),
        repetitions: f.workloadReps ?? Math.max(1, ...blocks.map((b) => b.repetitions)),
      },
    ];
  }
  if (f.warmup) spec.warmup = true;
  if (f.timeout !== undefined) spec.timeoutMs = f.timeout * 60_000;
  if (f.hosts !== undefined) spec.hosts = f.hosts;
  if (f.claimModels !== undefined) spec.claim = { ...spec.claim, models: f.claimModels };
  if (f.ignoreMemoryLimits) spec.ignoreMemoryLimits = true;
  if (f.cores !== undefined) {
    const available = os.availableParallelism();
    const tooMany = f.cores.find((c) => c > available);
    if (tooMany !== undefined) throw new Error(`--cores ${f.cores.join(",")}: cannot prove on ${tooMany} cores, this machine has ${available}`);
    spec.cores = f.cores.length ? f.cores : undefined;
  }
  return spec;
}
