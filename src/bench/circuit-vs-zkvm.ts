// EZKL (a circuit compiler) beside the zkVMs: for each machine, model and n
// where both proved, the circuit's median over the best zkVM's median, per
// metric (the best zkVM is chosen per metric: the fastest prover need not
// make the smallest proof). A ratio below 1 means the circuit is cheaper.
import { isCircuit } from "../zkvm/registry.js";
import type { ProofGroup, Spread } from "./results.js";

export const COMPARED = [
  { key: "prove_ms", label: "prove" },
  { key: "verify_ms", label: "verify" },
  { key: "proof_bytes", label: "proof size" },
  { key: "peak_rss_bytes", label: "peak memory" },
] as const satisfies readonly { key: keyof ProofGroup; label: string }[];

export type ComparedMetric = (typeof COMPARED)[number]["key"];

export interface CircuitComparison {
  machine: string;
  model: string;
  n: number;
  circuit: string;
  /** Per metric: the circuit's median, the best zkVM and its median, and their ratio. */
  metrics: Record<ComparedMetric, { circuit: number; zkvm: string; best: number; ratio: number }>;
}

export function compareCircuits(groups: readonly ProofGroup[]): CircuitComparison[] {
  const out: CircuitComparison[] = [];
  for (const c of groups.filter((g) => isCircuit(g.zkvm))) {
    const rivals = groups.filter((g) => !isCircuit(g.zkvm) && g.machine === c.machine && g.model === c.model && g.n === c.n);
    if (!rivals.length) continue;
    const metrics = Object.fromEntries(
      COMPARED.map(({ key }) => {
        const best = rivals.reduce((a, b) => ((b[key] as Spread).median < (a[key] as Spread).median ? b : a));
        const circuit = (c[key] as Spread).median;
        const value = (best[key] as Spread).median;
        return [key, { circuit, zkvm: best.zkvm, best: value, ratio: circuit / value }];
      }),
    ) as CircuitComparison["metrics"];
    out.push({ machine: c.machine, model: c.model, n: c.n, circuit: c.zkvm, metrics });
  }
  return out.sort((a, b) => a.machine.localeCompare(b.machine) || a.model.localeCompare(b.model) || a.n - b.n);
}

/** Summary rows: "EZKL / best zkVM" per metric, with the zkVM named. */
export function comparisonSummary(rows: readonly CircuitComparison[]): Record<string, string | number>[] {
  return rows.map((r) => ({
    machine: r.machine,
    model: r.model,
    n: r.n,
    circuit: r.circuit,
    ...Object.fromEntries(
      COMPARED.map(({ key, label }) => [`${label} ratio (vs best zkVM)`, `${r.metrics[key].ratio.toPrecision(3)} (${r.metrics[key].zkvm})`]),
    ),
  }));
}
