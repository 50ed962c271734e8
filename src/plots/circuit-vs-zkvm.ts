// "zkVM vs circuit compiler": prove time, verify time, proof size and peak
// memory by n, log–log, one panel each, every prover of the ridge-style proofs
// (median with min–max bars); zkVMs solid, circuit compilers dashed.
import { type Measure, axisTitleOf, scaleOf } from "../bench/columns.js";
import { type ProofGroup, type Spread, groupProofs } from "../bench/results.js";
import type { TidyRow } from "../bench/tidy.js";
import { groupBy } from "../util/group.js";
import { isCircuit, labelOf } from "../zkvm/registry.js";
import { type Figure, colorOf, figure } from "./figure.js";

const panel = (value: (g: ProofGroup) => Spread, column: Measure, unit?: string) => ({ value, title: axisTitleOf(column, unit), scale: scaleOf(column, unit) });
const PANELS: { value: (g: ProofGroup) => Spread; title: string; scale: number }[] = [
  panel((g) => g.prove_ms, "prove_ms"),
  panel((g) => g.verify_ms, "verify_ms"),
  panel((g) => g.proof_bytes, "proof_bytes"),
  panel((g) => g.peak_rss_bytes, "peak_rss_host_bytes", "GiB"),
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
    const label = labelOf(g.zkvm);
    const name = [`${label} ${g.proof_kind}`, g.model, multiMachine ? g.machine : ""].filter(Boolean).join(" · ");
    const color = colorOf(g.zkvm);
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
    title: { text: `zkVM vs circuit compiler (${circuitLabels(groups)}), by input size` },
    grid: { rows: 2, columns: 2, pattern: "independent" },
    ...axes,
    showlegend: true,
    legend: { orientation: "h", y: -0.15 },
    width: 900,
    height: 720,
    margin: { l: 70, r: 20, t: 60, b: 120 },
  });
}

/** The circuit compilers among the groups, by their table labels. */
function circuitLabels(groups: readonly ProofGroup[]): string {
  return [...new Set(groups.filter((g) => isCircuit(g.zkvm)).map((g) => labelOf(g.zkvm)))].join(", ");
}
