// "zkVM vs circuit compiler": prove time, verify time, proof size and peak
// memory by n, log–log, one panel each, every prover of the ridge-style proofs
// (median with min–max bars); zkVMs solid, circuit compilers dashed.
import { isCircuit } from "../bench/circuit-vs-zkvm.js";
import { type ProofGroup, type Spread, type TidyRow, groupProofs } from "../bench/results.js";
import { groupBy } from "../util/group.js";
import { isZkvmId, zkvm } from "../zkvm/registry.js";
import { type Figure, figure } from "./figure.js";

const PANELS: { value: (g: ProofGroup) => Spread; title: string; scale: number }[] = [
  { value: (g) => g.prove_ms, title: "prove time (s)", scale: 1e-3 },
  { value: (g) => g.verify_ms, title: "verify time (ms)", scale: 1 },
  { value: (g) => g.proof_bytes, title: "proof size (KiB)", scale: 1 / 1024 },
  { value: (g) => g.peak_rss_bytes, title: "peak memory (GiB)", scale: 1 / 2 ** 30 },
];

/** Empty (left out of the report) unless a circuit compiler and a zkVM both proved. */
export function circuitVsZkvmFigure(rows: readonly TidyRow[]): Figure {
  const groups = groupProofs(rows);
  const both = groups.some((g) => isCircuit(g.zkvm)) && groups.some((g) => !isCircuit(g.zkvm));
  const series = both ? groupBy(groups, (g) => [g.machine, g.zkvm, g.proof_kind, g.model, g.sha]) : [];
  const multiMachine = new Set(groups.map((g) => g.machine)).size > 1;
  const data = series.flatMap((s, i) => {
    const points = [...s].sort((a, b) => a.n - b.n);
    const g = points[0];
    const label = isZkvmId(g.zkvm) ? zkvm(g.zkvm).label : g.zkvm;
    const name = [`${label} ${g.proof_kind}`, g.model, multiMachine ? g.machine : ""].filter(Boolean).join(" · ");
    const color = isZkvmId(g.zkvm) ? zkvm(g.zkvm).color : "#8c8c8c";
    return PANELS.map((p, k) => {
      const v = points.map(p.value);
      return {
        type: "scatter",
        mode: "lines+markers",
        name,
        legendgroup: `s${i}`,
        showlegend: k === 0,
        xaxis: `x${k + 1}`,
        yaxis: `y${k + 1}`,
        x: points.map((q) => q.n),
        y: v.map((x) => x.median * p.scale),
        error_y: {
          type: "data",
          symmetric: false,
          array: v.map((x) => (x.max - x.median) * p.scale),
          arrayminus: v.map((x) => (x.median - x.min) * p.scale),
          thickness: 1.2,
          width: 3,
        },
        line: { color, dash: isCircuit(g.zkvm) ? "dash" : "solid" },
        marker: { size: 7 },
        hovertemplate: `n=%{x}<br>${p.title}: %{y:.4g}<extra>${name}</extra>`,
      };
    });
  });
  const axes = Object.fromEntries(
    PANELS.flatMap((p, k) => [
      [`xaxis${k + 1}`, { type: "log", dtick: 1, exponentformat: "power", title: { text: k >= 2 ? "test samples n" : "" } }],
      [`yaxis${k + 1}`, { type: "log", exponentformat: "power", title: { text: p.title } }],
    ]),
  );
  return figure(data, {
    title: { text: "zkVM vs circuit compiler (EZKL), by input size" },
    grid: { rows: 2, columns: 2, pattern: "independent" },
    ...axes,
    showlegend: true,
    legend: { orientation: "h", y: -0.15 },
    width: 900,
    height: 720,
    margin: { l: 70, r: 20, t: 60, b: 120 },
  });
}
