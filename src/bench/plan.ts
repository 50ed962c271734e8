// A sweep's runs in the order they are done. What a zkVM can do (its proof
// kinds, the model kinds it refuses, how its memory grows) comes from its
// host's `info`, never from a list kept here.
import { machineInfo } from "./machine.js";
import { type KindChoice, hashesWithShaOf, memoryLimitOf, proofKindsOf, refusedModelKindsOf, zkvm } from "../zkvm/registry.js";
import type { KindsAsked, PlannedRun, ShaMode, SweepSpec, WorkloadsSpec } from "./sweep-spec.js";
import { WORKLOAD, type Workload, termsOf } from "./workload.js";

/** What planning asks of each zkVM's host (by default its `info`; tests give their own). */
export interface PlanHosts {
  /** Its proof kinds for a choice, the default first. */
  kindsOf(zkvm: string, choice: KindChoice): string[];
  /** Model kinds (affine, polynomial) it refuses. */
  refusedModelKinds(zkvm: string): string[];
  /** Why a proof of n samples of a model (its kind, its weighted terms per sample) will not fit in this machine's memory, or null. */
  memoryLimit(zkvm: string, model: { kind: string; terms: number }, n: number): string | null;
  /** Whether it proves in the quick checks (the zkVM table's `smoke`). */
  smoke(zkvm: string): boolean;
  /** Whether its commitments are SHA-256, so the SHA modes are two workloads (else it proves each once). */
  hashesWithSha(zkvm: string): boolean;
}

export const hostsByInfo: PlanHosts = {
  kindsOf: proofKindsOf,
  refusedModelKinds: refusedModelKindsOf,
  memoryLimit: (id, model, n) => memoryLimitOf(id, model, n, machineInfo().ram_bytes),
  smoke: (id) => zkvm(id).smoke,
  hashesWithSha: hashesWithShaOf,
};

/** A configuration the plan leaves out because its host predicts its proof will not fit in memory, and why. */
export interface LeftOut {
  zkvm: string;
  model: Workload;
  n: number;
  /** A claim proof (n: the whole test set), not a timed size. */
  claim: boolean;
  /** Whether its executes were left out too (no proof asked at that size). */
  executeOnly: boolean;
  why: string;
}

export interface SweepPlan {
  runs: PlannedRun[];
  /** Configurations left out (their hosts predict the proof will not fit in memory), each once. */
  leftOut: LeftOut[];
}

export function runKey(r: Omit<PlannedRun, "key">): string {
  const key = [r.zkvm, r.command, r.proof_kind ?? "-", r.model, `n${r.n}`, r.sha, r.claim ? "claim" : r.warmup ? "warmup" : `rep${r.rep}`];
  return (r.cores === undefined ? key : [...key, `cores${r.cores}`]).join("|");
}

/** The feature table's width (src/data/features.ts), for planning without a trained model at hand. */
const DEFAULT_FEATURES = 7;

/** The runs of a sweep in the order they are done: cheap executes first, then
 *  proofs by zkVM, each zkVM's claim proofs (of `claimSamples`, the whole test
 *  set) after its timed ones, so one long-lived host serves them all. Runs of a
 *  model kind a host refuses (its info's refused_model_kinds) are left out. */
export function planSweep(spec: SweepSpec, o: { claimSamples?: number; features?: number; hosts?: PlanHosts } = {}): SweepPlan {
  const hosts = o.hosts ?? hostsByInfo;
  if (spec.claim?.models.length && o.claimSamples === undefined) throw new Error("a sweep with claim proofs is planned with the test set's size");
  const runs: PlannedRun[] = [];
  const leftOut: LeftOut[] = [];
  const refused = new Map<string, string[]>(spec.zkvms.map((z) => [z, hosts.refusedModelKinds(z)]));
  const planned = new Set<string>();
  // Why a proof will not fit in memory (its host's prediction), once per configuration; null: it is planned.
  const tooBig = new Map<string, string | null>();
  // Executes too: a circuit compiler builds the whole circuit to execute it
  // (EZKL's degree-3 circuit of n = 10,000 is 2^26 rows, six minutes), and a
  // count of a circuit this machine could never prove is not worth that.
  const memoryLimit = (r: Omit<PlannedRun, "key">): string | null => {
    if (spec.ignoreMemoryLimits) return null;
    const id = [r.zkvm, r.model, r.n].join("|");
    if (!tooBig.has(id)) {
      const why = hosts.memoryLimit(r.zkvm, { kind: WORKLOAD[r.model].kind, terms: termsOf(r.model, o.features ?? DEFAULT_FEATURES) }, r.n);
      tooBig.set(id, why);
      if (why) leftOut.push({ zkvm: r.zkvm, model: r.model, n: r.n, claim: r.claim, executeOnly: r.command === "execute", why });
    }
    const why = tooBig.get(id) ?? null;
    // The same configuration asked as a proof as well: it is not execute-only.
    if (why && r.command === "prove") for (const l of leftOut) if (l.zkvm === r.zkvm && l.model === r.model && l.n === r.n) l.executeOnly = false;
    return why;
  };
  const add = (r: Omit<PlannedRun, "key">, into = runs) => {
    const key = runKey(r);
    // A run both the timed sizes and the workload ladder ask for is proven once.
    if (refused.get(r.zkvm)?.includes(WORKLOAD[r.model].kind) || planned.has(key) || memoryLimit(r)) return;
    planned.add(key);
    into.push({ key, ...r });
  };
  // A prover that does not hash with SHA-256 would make the same proof twice:
  // it runs once, under the mode every zkVM is compared at (the precompile), so
  // a block asking only for software SHA does not prove it again.
  const shaModes = (z: string, asked: ShaMode[]): ShaMode[] => (hosts.hashesWithSha(z) ? asked : asked.length ? ["precompile"] : []);
  for (const z of spec.zkvms)
    for (const model of spec.execute.models)
      for (const n of spec.execute.sizes)
        for (const sha of shaModes(z, spec.execute.sha))
          add({ zkvm: z, command: "execute", proof_kind: null, model, n, sha, rep: 0, warmup: false, claim: false });
  const asks = (b: { models: unknown[]; sizes: number[]; repetitions: number } | undefined) =>
    !!b && b.models.length > 0 && b.sizes.length > 0 && b.repetitions > 0;
  const ladder = spec.workloads ?? [];
  const proving = asks(spec.prove) || ladder.some(asks);
  const kindsFor = (z: string, asked: KindsAsked | undefined) => {
    if (asked === undefined || typeof asked === "string") return hosts.kindsOf(z, asked ?? "default");
    if (asked[z]?.length === 0) return [];
    const available = hosts.kindsOf(z, "all");
    const kinds = asked[z] ?? available.slice(0, 1);
    for (const kind of kinds) if (!available.includes(kind)) throw new Error(`${z} makes no '${kind}' proofs (it makes: ${available.join(", ")})`);
    return kinds;
  };
  for (const z of spec.zkvms) {
    // This zkVM's proofs, then the same block again per further core count
    // (one pinned host per count: a switch of counts restarts the host).
    const proofs: PlannedRun[] = [];
    const prove = (r: Omit<PlannedRun, "key">) => add(r, proofs);
    const proves = proving && (spec.prove.zkvms !== "smoke" || hosts.smoke(z));
    for (const kind of proves ? kindsFor(z, spec.prove.kinds) : []) {
      if (spec.warmup) {
        const first = asks(spec.prove) ? spec.prove : (ladder.find(asks) as WorkloadsSpec);
        const n = Math.min(...first.sizes);
        prove({ zkvm: z, command: "prove", proof_kind: kind, model: first.models[0], n, sha: first.sha[0], rep: 0, warmup: true, claim: false });
      }
      for (const block of [spec.prove, ...ladder])
        for (const model of block.models)
          for (const n of block.sizes)
            for (const sha of shaModes(z, block.sha))
              for (let rep = 1; rep <= block.repetitions; rep++)
                prove({ zkvm: z, command: "prove", proof_kind: kind, model, n, sha, rep, warmup: false, claim: false });
    }
    const claim = spec.claim;
    const n = o.claimSamples as number;
    const claimModels = claim?.models ?? [];
    for (const kind of claimModels.length ? kindsFor(z, claim!.kinds) : [])
      for (const model of claimModels)
        prove({ zkvm: z, command: "prove", proof_kind: kind, model, n, sha: spec.prove.sha[0] ?? "precompile", rep: 1, warmup: false, claim: true });
    if (!spec.cores) runs.push(...proofs);
    else for (const cores of spec.cores) for (const { key: _, ...run } of proofs) runs.push({ key: runKey({ ...run, cores }), ...run, cores });
  }
  return { runs, leftOut };
}
