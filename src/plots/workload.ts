// The workload ladder's figures: prove time, peak memory and proof size
// against the work each sample costs (user cycles for a zkVM, circuit rows for
// a circuit compiler), log–log at one n per machine, so the slope shows how
// each prover's cost follows the work and where the lines cross; and prove
// time with the SHA precompile on vs off, per zkVM and model.
import { type Measure, axisTitleOf, scaleOf } from "../bench/columns.js";
import { type ProofGroup, groupProofs } from "../bench/results.js";
import type { TidyRow } from "../bench/tidy.js";
import { WORKLOADS, type Workload } from "../bench/workload.js";
import { ladderSizes, precompileGains } from "../bench/workload-ranking.js";
import { groupBy } from "../util/group.js";
import { isCircuit, labelOf } from "../zkvm/registry.js";
import { type Figure, colorOf, figure } from "./figure.js";

const logAxis = (title: string) => ({ title: { text: title }, type: "log", exponentformat: "power" });

/** The groups at each machine's ladder n (both SHA modes: software SHA is more work on the same model). */
function atLadderSize(rows: readonly TidyRow[]): ProofGroup[] {
  const groups = groupProofs(rows).filter((g) => g.work_per_sample !== null);
  const sizes = ladderSizes(groups);
  return groups.filter((g) => g.n === sizes.get(g.machine));
}

function workloadFigure(
  rows: readonly TidyRow[],
  metric: "prove_ms" | "peak_rss_bytes" | "proof_bytes",
  column: Measure,
  shownUnit: string,
  title: string,
): Figure {
  const groups = atLadderSize(rows);
  // Only worth a figure when some prover proved two or more models.
  const series = groupBy(groups, (g) => [g.machine, g.zkvm, g.host_target_cpu, g.cores_used, g.proof_kind, g.sha]).filter(
    (s) => new Set(s.map((g) => g.model)).size >= 2,
  );
  const scale = scaleOf(column, shownUnit);
  const multiMachine = new Set(series.map((s) => s[0].machine)).size > 1;
  const data = series.map((s) => {
    const points = [...s].sort((a, b) => (a.work_per_sample as number) - (b.work_per_sample as number));
    const g = points[0];
    const name = [
      `${labelOf(g.zkvm)} ${g.proof_kind}`,
      isCircuit(g.zkvm) ? "" : g.sha === "precompile" ? "SHA precompile" : "software SHA",
      multiMachine ? g.machine : "",
      `n = ${g.n}`,
    ]
      .filter(Boolean)
      .join(" · ");
    return {
      type: "scatter",
      mode: "lines+markers+text",
      name,
      x: points.map((p) => p.work_per_sample),
      y: points.map((p) => p[metric].median * scale),
      text: points.map((p) => p.model),
      textposition: "top center",
      textfont: { size: 10, color: colorOf(g.zkvm) },
      line: { color: colorOf(g.zkvm), dash: g.sha === "software" ? "dot" : "solid" },
      marker: { symbol: isCircuit(g.zkvm) ? "diamond" : "circle", size: 8 },
      customdata: points.map((p) => p.runs),
      hovertemplate: `%{text}: %{x:.0f} per sample<br>%{y:.4g}<br>runs: %{customdata}<extra>${name}</extra>`,
    };
  });
  return figure(data, {
    title: { text: title },
    xaxis: logAxis("work per sample (zkVM: user cycles; circuit: rows)"),
    yaxis: logAxis(axisTitleOf(column, shownUnit)),
    showlegend: true,
    legend: { orientation: "h", y: -0.22 },
    margin: { l: 70, r: 20, t: 50, b: 120 },
    height: 520,
  });
}

export const workloadProveTimeFigure = (rows: readonly TidyRow[]) =>
  workloadFigure(rows, "prove_ms", "prove_ms", "s", "Prove time by work per sample (each model, one n)");
export const workloadMemoryFigure = (rows: readonly TidyRow[]) =>
  workloadFigure(rows, "peak_rss_bytes", "peak_rss_host_bytes", "GiB", "Peak memory by work per sample (each model, one n)");
export const workloadProofSizeFigure = (rows: readonly TidyRow[]) =>
  workloadFigure(rows, "proof_bytes", "proof_bytes", "KiB", "Proof size by work per sample (each model, one n)");

/** Prove time with the SHA-256 precompile vs software SHA-256, per zkVM and model, at each machine's ladder n. */
export function precompileProveTimeFigure(rows: readonly TidyRow[]): Figure {
  const groups = groupProofs(rows);
  const sizes = ladderSizes(groups);
  const gains = precompileGains(groups).filter((g) => g.n === sizes.get(g.machine));
  const multiMachine = new Set(gains.map((g) => g.machine)).size > 1;
  const order = (m: string) => WORKLOADS.indexOf(m as Workload);
  const sorted = [...gains].sort((a, b) => a.zkvm.localeCompare(b.zkvm) || order(a.model) - order(b.model));
  const category = (g: (typeof gains)[number]) => [`${labelOf(g.zkvm)} ${g.proof_kind}`, g.model, multiMachine ? g.machine : ""].filter(Boolean).join(" · ");
  const categories = [...new Set(sorted.map(category))];
  const scale = scaleOf("prove_ms", "s");
  const data = (["precompile", "software"] as const).map((sha) => ({
    type: "bar",
    name: sha === "precompile" ? "SHA-256 precompile" : "software SHA-256",
    x: categories,
    y: categories.map((c) => {
      const g = sorted.find((x) => category(x) === c);
      return g ? (sha === "precompile" ? g.precompile_ms : g.software_ms) * scale : null;
    }),
    marker: { color: sha === "precompile" ? "#55a868" : "#8c8c8c" },
    texttemplate: "%{y:.3g}",
    textposition: "outside",
  }));
  const n = [...new Set(gains.map((g) => g.n))].join(", ");
  return figure(data, {
    title: { text: `Prove time: SHA precompile on vs off (n = ${n})` },
    barmode: "group",
    yaxis: { title: { text: axisTitleOf("prove_ms", "s") }, rangemode: "tozero" },
    xaxis: { title: { text: "" }, tickangle: -30 },
    margin: { l: 70, r: 20, t: 50, b: 130 },
    height: 480,
  });
}
