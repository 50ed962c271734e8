// A sweep's runs in the order they are done. What a zkVM can do (its proof
// kinds, the model kinds it refuses, how its memory grows) comes from its
// host's `info`, never from a list kept here.
import { machineInfo } from "./machine.js";
import type { ModelFamily } from "../model/types.js";
import { type KindChoice, memoryLimitOf, proofKindsOf, refusedModelKindsOf, zkvm } from "../zkvm/registry.js";
import type { KindsAsked, PlannedRun, SweepSpec } from "./sweep-spec.js";

/** spec/FORMAT.md's model kind of each family. */
export const MODEL_KIND: Record<ModelFamily, string> = { linear: "affine", ridge: "affine", "poly-ridge": "polynomial" };

/** What planning asks of each zkVM's host (by default its `info`; tests give their own). */
export interface PlanHosts {
  /** Its proof kinds for a choice, the default first. */
  kindsOf(zkvm: string, choice: KindChoice): string[];
  /** Model kinds (affine, polynomial) it refuses. */
  refusedModelKinds(zkvm: string): string[];
  /** Why a proof of n samples will not fit in this machine's memory, or null. */
  memoryLimit(zkvm: string, modelKind: string, n: number): string | null;
  /** Whether it proves in the quick checks (the zkVM table's `smoke`). */
  smoke(zkvm: string): boolean;
}

export const hostsByInfo: PlanHosts = {
  kindsOf: proofKindsOf,
  refusedModelKinds: refusedModelKindsOf,
  memoryLimit: (id, kind, n) => memoryLimitOf(id, kind, n, machineInfo().ram_bytes),
  smoke: (id) => zkvm(id).smoke,
};

/** A claim proof the plan leaves out, and why. */
export interface LeftOut {
  zkvm: string;
  model: ModelFamily;
  why: string;
}

export interface SweepPlan {
  runs: PlannedRun[];
  /** Claim proofs left out (their hosts predict they will not fit in memory). */
  leftOut: LeftOut[];
}

export function runKey(r: Omit<PlannedRun, "key">): string {
  const key = [r.zkvm, r.command, r.proof_kind ?? "-", r.model, `n${r.n}`, r.sha, r.claim ? "claim" : r.warmup ? "warmup" : `rep${r.rep}`];
  return (r.cores === undefined ? key : [...key, `cores${r.cores}`]).join("|");
}

/** The runs of a sweep in the order they are done: cheap executes first, then
 *  proofs by zkVM, each zkVM's claim proofs (of `claimSamples`, the whole test
 *  set) after its timed ones, so one long-lived host serves them all. Runs of a
 *  model kind a host refuses (EZKL: polynomial) are left out. */
export function planSweep(spec: SweepSpec, o: { claimSamples?: number; hosts?: PlanHosts } = {}): SweepPlan {
  const hosts = o.hosts ?? hostsByInfo;
  if (spec.claim?.models.length && o.claimSamples === undefined) throw new Error("a sweep with claim proofs is planned with the test set's size");
  const runs: PlannedRun[] = [];
  const leftOut: LeftOut[] = [];
  const refused = new Map<string, string[]>(spec.zkvms.map((z) => [z, hosts.refusedModelKinds(z)]));
  const add = (r: Omit<PlannedRun, "key">, into = runs) => {
    if (!refused.get(r.zkvm)?.includes(MODEL_KIND[r.model])) into.push({ key: runKey(r), ...r });
  };
  for (const z of spec.zkvms)
    for (const model of spec.execute.models)
      for (const n of spec.execute.sizes)
        for (const sha of spec.execute.sha) add({ zkvm: z, command: "execute", proof_kind: null, model, n, sha, rep: 0, warmup: false, claim: false });
  const proving = spec.prove.models.length > 0 && spec.prove.sizes.length > 0 && spec.prove.repetitions > 0;
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
        const n = Math.min(...spec.prove.sizes);
        prove({ zkvm: z, command: "prove", proof_kind: kind, model: spec.prove.models[0], n, sha: spec.prove.sha[0], rep: 0, warmup: true, claim: false });
      }
      for (const model of spec.prove.models)
        for (const n of spec.prove.sizes)
          for (const sha of spec.prove.sha)
            for (let rep = 1; rep <= spec.prove.repetitions; rep++)
              prove({ zkvm: z, command: "prove", proof_kind: kind, model, n, sha, rep, warmup: false, claim: false });
    }
    const claim = spec.claim;
    const n = o.claimSamples as number;
    const claimModels = (claim?.models ?? []).filter((model) => {
      if (refused.get(z)?.includes(MODEL_KIND[model])) return false;
      const why = claim?.ignoreMemoryLimits ? null : hosts.memoryLimit(z, MODEL_KIND[model], n);
      if (why) leftOut.push({ zkvm: z, model, why });
      return !why;
    });
    for (const kind of claimModels.length ? kindsFor(z, claim!.kinds) : [])
      for (const model of claimModels)
        prove({ zkvm: z, command: "prove", proof_kind: kind, model, n, sha: spec.prove.sha[0] ?? "precompile", rep: 1, warmup: false, claim: true });
    if (!spec.cores) runs.push(...proofs);
    else for (const cores of spec.cores) for (const { key: _, ...run } of proofs) runs.push({ key: runKey({ ...run, cores }), ...run, cores });
  }
  return { runs, leftOut };
}
