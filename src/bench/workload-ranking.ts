// The workload ladder compared (the paper's question: which prover for heavier
// models, and why): at one n per machine, for each model, which prover is
// cheapest by each metric and by how much; where the circuit compiler and the
// best zkVM cross over as the work per sample grows; and what the SHA
// precompile is worth in prove time rather than cycles.
import { groupBy } from "../util/group.js";
import { isCircuit, labelOf } from "../zkvm/registry.js";
import type { ProofGroup } from "./results.js";
import { WORKLOADS, type Workload } from "./workload.js";

/** The metrics a prover is ranked by, lower is better for each. */
export const RANKED = [
  { key: "prove_ms", best: "proves fastest" },
  { key: "verify_ms", best: "verifies fastest" },
  { key: "peak_rss_bytes", best: "needs least memory" },
  { key: "proof_bytes", best: "makes the smallest proof" },
] as const;
export type RankedMetric = (typeof RANKED)[number]["key"];

const order = (model: string) => WORKLOADS.indexOf(model as Workload);

/** Per machine, the n the ladder is compared at: the size with the most models
 *  proven (ties: the larger), so every model is compared on equal inputs. */
export function ladderSizes(groups: readonly ProofGroup[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const mine of groupBy(groups, (g) => [g.machine])) {
    const models = new Map<number, Set<string>>();
    for (const g of mine) models.set(g.n, (models.get(g.n) ?? new Set()).add(g.model));
    const [n] = [...models].sort((a, b) => b[1].size - a[1].size || b[0] - a[0])[0];
    sizes.set(mine[0].machine, n);
  }
  return sizes;
}

/** The groups the ladder compares: at the ladder's n, each prover at its best
 *  (a zkVM with its SHA precompile; a circuit in its one mode), all core counts and builds apart. */
export function ladderGroups(groups: readonly ProofGroup[]): ProofGroup[] {
  const sizes = ladderSizes(groups);
  return groups.filter((g) => g.n === sizes.get(g.machine) && g.sha === "precompile");
}

export interface Placing {
  zkvm: string;
  proof_kind: string;
  value: number;
}

export interface Ranking {
  machine: string;
  /** The CPU the ranked provers' hosts were built for (null: none has a build of its own). */
  build: string | null;
  cores_used: ProofGroup["cores_used"];
  n: number;
  model: string;
  metric: RankedMetric;
  /** Provers from best to worst, each at its best proof kind for this metric. */
  placings: Placing[];
  /** The runner-up's value over the best's; null with one prover. */
  ratio: number | null;
}

/** Provers ranked together: one machine, core count and model, and one host
 *  build (hosts built for different CPUs are never compared). A prover with no
 *  build of its own (null: EZKL's Python host) is ranked with each build. */
function rankedSets(groups: readonly ProofGroup[]): ProofGroup[][] {
  return groupBy(groups, (g) => [g.machine, g.cores_used, g.model]).flatMap((set) => {
    const unbuilt = set.filter((g) => g.host_target_cpu === null);
    const builds = groupBy(
      set.filter((g) => g.host_target_cpu !== null),
      (g) => [g.host_target_cpu],
    );
    return builds.length ? builds.map((built) => [...built, ...unbuilt]) : [unbuilt];
  });
}

/** For each machine, host build, model and metric at the ladder's n: the provers in order. */
export function rankWorkloads(groups: readonly ProofGroup[]): Ranking[] {
  const out: Ranking[] = [];
  for (const set of rankedSets(ladderGroups(groups))) {
    for (const { key } of RANKED) {
      const best = new Map<string, Placing>();
      for (const g of set) {
        const value = g[key].median;
        const seen = best.get(g.zkvm);
        if (!seen || value < seen.value) best.set(g.zkvm, { zkvm: g.zkvm, proof_kind: g.proof_kind, value });
      }
      const placings = [...best.values()].sort((a, b) => a.value - b.value);
      out.push({
        machine: set[0].machine,
        build: set.find((g) => g.host_target_cpu !== null)?.host_target_cpu ?? null,
        cores_used: set[0].cores_used,
        n: set[0].n,
        model: set[0].model,
        metric: key,
        placings,
        ratio: placings.length > 1 && placings[0].value > 0 ? placings[1].value / placings[0].value : null,
      });
    }
  }
  return out.sort((a, b) => a.machine.localeCompare(b.machine) || order(a.model) - order(b.model));
}

export interface Crossover {
  machine: string;
  n: number;
  circuit: string;
  /** Per model, lightest first: the circuit's prove time over the best zkVM's (below 1: the circuit is faster). */
  points: { model: string; zkvm: string; ratio: number }[];
  /** The first model at which the faster side changes, or null when one side wins throughout. */
  crossesAt: string | null;
}

/** The circuit compiler against the best zkVM in prove time, model by model. */
export function circuitCrossovers(rankings: readonly Ranking[]): Crossover[] {
  const out: Crossover[] = [];
  const proveRankings = rankings.filter((r) => r.metric === "prove_ms");
  for (const set of groupBy(proveRankings, (r) => [r.machine, r.build, r.cores_used])) {
    const circuits = new Set(set.flatMap((r) => r.placings.filter((p) => isCircuit(p.zkvm)).map((p) => p.zkvm)));
    for (const circuit of circuits) {
      const points = set.flatMap((r) => {
        const c = r.placings.find((p) => p.zkvm === circuit);
        const z = r.placings.find((p) => !isCircuit(p.zkvm));
        return c && z ? [{ model: r.model, zkvm: z.zkvm, ratio: c.value / z.value }] : [];
      });
      if (points.length < 2) continue;
      const flip = points.findIndex((p, i) => i > 0 && p.ratio < 1 !== points[i - 1].ratio < 1);
      out.push({ machine: set[0].machine, n: set[0].n, circuit, points, crossesAt: flip < 0 ? null : points[flip].model });
    }
  }
  return out;
}

/** One sentence: where the circuit compiler stops (or starts) being the faster prover. */
export function crossoverSentence(c: Crossover): string {
  const ratios = c.points.map((p) => `${p.model} ${p.ratio.toPrecision(2)}× ${labelOf(p.zkvm)}`).join(", ");
  const label = labelOf(c.circuit);
  if (c.crossesAt === null) {
    const faster =
      c.points[0].ratio < 1 ? `${label} proves faster than the best zkVM at every model` : `the best zkVM proves faster than ${label} at every model`;
    return `${faster} (n = ${c.n}; ${label}'s prove time over the best zkVM's: ${ratios}).`;
  }
  const at = c.points.find((p) => p.model === c.crossesAt)!;
  const now = at.ratio < 1 ? `${label} becomes the faster prover` : `the best zkVM (${labelOf(at.zkvm)}) overtakes ${label}`;
  return `crossover at ${c.crossesAt}: ${now} (n = ${c.n}; ${label}'s prove time over the best zkVM's: ${ratios}).`;
}

export interface PrecompileGain {
  machine: string;
  n: number;
  zkvm: string;
  proof_kind: string;
  model: string;
  precompile_ms: number;
  software_ms: number;
  /** Software SHA's prove time over the precompile's. */
  ratio: number;
}

/** What the SHA precompile saves in prove time, per zkVM, kind and model, at every n both were proven. */
export function precompileGains(groups: readonly ProofGroup[]): PrecompileGain[] {
  const out: PrecompileGain[] = [];
  for (const pair of groupBy(groups, (g) => [g.machine, g.zkvm, g.host_target_cpu, g.cores_used, g.proof_kind, g.model, g.n])) {
    const on = pair.find((g) => g.sha === "precompile");
    const off = pair.find((g) => g.sha === "software");
    if (!on || !off) continue;
    out.push({
      machine: on.machine,
      n: on.n,
      zkvm: on.zkvm,
      proof_kind: on.proof_kind,
      model: on.model,
      precompile_ms: on.prove_ms.median,
      software_ms: off.prove_ms.median,
      ratio: off.prove_ms.median / on.prove_ms.median,
    });
  }
  return out.sort((a, b) => a.machine.localeCompare(b.machine) || a.zkvm.localeCompare(b.zkvm) || order(a.model) - order(b.model) || a.n - b.n);
}
