// The paper's figures, drawn from tidy benchmark rows: how proving cost grows
// with the test-set size, per zkVM and machine. Points are medians over the
// repetitions, bars span min to max.
import { axisTitleOf, scaleOf } from "../bench/columns.js";
import { type ProofGroup, type Spread, cycleCounts, cycleFits, groupProofs } from "../bench/results.js";
import type { TidyRow } from "../bench/tidy.js";
import { groupBy } from "../util/group.js";
import { labelOf } from "../zkvm/registry.js";
import { circuitVsZkvmFigure } from "./circuit-vs-zkvm.js";
import { type Figure, colorOf, figure } from "./figure.js";
import { precompileProveTimeFigure, workloadMemoryFigure, workloadProofSizeFigure, workloadProveTimeFigure } from "./workload.js";

// Colour tells zkVMs apart (from the zkVM table), line dash machines, marker models.
const DASHES = ["solid", "dash", "dot", "dashdot"];
const SYMBOLS = ["circle", "square", "diamond", "triangle-up"];

/** Styles that tell machines (line dash) and models (marker) apart. */
function styleIndex(values: readonly string[]): (v: string) => number {
  const order = [...new Set(values)].sort();
  return (v) => order.indexOf(v);
}

/** A log axis; ticks at every decade suit sizes and cycle counts, while values
 *  within one or two decades (prove times) need plotly's finer 2–5 ticks. */
const logAxis = (title: string, decadeTicks = true) => ({ title: { text: title }, type: "log", exponentformat: "power", ...(decadeTicks ? { dtick: 1 } : {}) });

/** One trace per (machine, zkVM, proof kind, model, SHA mode): median with min–max bars. */
function scalingFigure(
  groups: readonly ProofGroup[],
  value: (g: ProofGroup) => Spread | null,
  o: { title: string; yTitle: string; yLog: boolean; scale?: number },
): Figure {
  const scale = o.scale ?? 1;
  const all = groupBy(
    groups.filter((g) => value(g)),
    (g) => [g.machine, g.zkvm, g.host_target_cpu, g.cores_used, g.proof_kind, g.model, g.sha],
  );
  // Models (and SHA modes) proven at one n only, on every machine and prover
  // (the workload ladder's), are in the workload figures, not on these lines;
  // unless nothing was proven at two sizes.
  const sizesOf = new Map<string, Set<number>>();
  for (const g of groups) sizesOf.set(`${g.model}|${g.sha}`, (sizesOf.get(`${g.model}|${g.sha}`) ?? new Set()).add(g.n));
  const scaled = all.filter((s) => sizesOf.get(`${s[0].model}|${s[0].sha}`)!.size >= 2);
  const series = scaled.length ? scaled : all;
  const machines = styleIndex(groups.map((g) => g.machine));
  const models = styleIndex(groups.map((g) => g.model));
  const multiMachine = new Set(groups.map((g) => g.machine)).size > 1;
  const multiSha = new Set(groups.map((g) => g.sha)).size > 1;
  // Builds for other CPUs and pinned core counts are other series, named only when present.
  const multiCpu = new Set(groups.map((g) => g.host_target_cpu)).size > 1;
  const multiCores = new Set(groups.map((g) => g.cores_used)).size > 1;
  const data = series.map((s) => {
    const points = [...s].sort((a, b) => a.n - b.n);
    const spreads = points.map((p) => value(p)!);
    const g = points[0];
    const name = [
      `${labelOf(g.zkvm)} ${g.proof_kind}`,
      g.model,
      multiSha ? `SHA ${g.sha}` : "",
      multiCpu ? `cpu ${g.host_target_cpu ?? "–"}` : "",
      multiCores ? `${g.cores_used} cores` : "",
      multiMachine ? `${g.machine} (${g.arch})` : g.arch,
    ]
      .filter(Boolean)
      .join(" · ");
    return {
      type: "scatter",
      mode: "lines+markers",
      name,
      x: points.map((p) => p.n),
      y: spreads.map((v) => v.median * scale),
      error_y: {
        type: "data",
        symmetric: false,
        array: spreads.map((v) => (v.max - v.median) * scale),
        arrayminus: spreads.map((v) => (v.median - v.min) * scale),
        thickness: 1.2,
        width: 4,
      },
      line: { color: colorOf(g.zkvm), dash: DASHES[machines(g.machine) % DASHES.length] },
      marker: { symbol: SYMBOLS[models(g.model) % SYMBOLS.length], size: 8 },
      customdata: points.map((p) => p.runs),
      hovertemplate: `n=%{x}<br>${o.yTitle}: %{y:.4g}<br>runs: %{customdata}<extra>${name}</extra>`,
    };
  });
  return figure(data, {
    title: { text: o.title },
    xaxis: logAxis("test samples n"),
    yaxis: o.yLog ? logAxis(o.yTitle, false) : { title: { text: o.yTitle }, rangemode: "tozero" },
    showlegend: true,
    legend: { orientation: "h", y: -0.22 },
    margin: { l: 70, r: 20, t: 50, b: 120 },
    height: 500,
  });
}

export const proveTimeFigure = (rows: readonly TidyRow[]) =>
  scalingFigure(groupProofs(rows), (g) => g.prove_ms, {
    title: "Prove time by input size",
    yTitle: axisTitleOf("prove_ms"),
    yLog: true,
    scale: scaleOf("prove_ms"),
  });

export const verifyTimeFigure = (rows: readonly TidyRow[]) =>
  scalingFigure(groupProofs(rows), (g) => g.verify_ms, {
    title: "Verify time by input size",
    yTitle: axisTitleOf("verify_ms"),
    yLog: true,
    scale: scaleOf("verify_ms"),
  });

export const proofSizeFigure = (rows: readonly TidyRow[]) =>
  scalingFigure(groupProofs(rows), (g) => g.proof_bytes, {
    title: "Proof size by input size",
    yTitle: axisTitleOf("proof_bytes"),
    yLog: true,
    scale: scaleOf("proof_bytes"),
  });

export const peakMemoryFigure = (rows: readonly TidyRow[]) =>
  scalingFigure(groupProofs(rows), (g) => g.peak_rss_bytes, {
    title: "Peak memory of the prover by input size",
    yTitle: axisTitleOf("peak_rss_host_bytes", "GiB"),
    yLog: true,
    scale: scaleOf("peak_rss_host_bytes", "GiB"),
  });

export const throughputFigure = (rows: readonly TidyRow[]) =>
  scalingFigure(groupProofs(rows), (g) => g.cycles_per_second, {
    title: "Proving throughput by input size",
    yTitle: axisTitleOf("cycles_per_second"),
    yLog: true,
  });

/** Prove time by the cores a host was pinned to (a `--cores` sweep): one line per
 *  zkVM, proof kind, model and n proven on two or more core counts. */
export function coreScalingFigure(rows: readonly TidyRow[]): Figure {
  const series = groupBy(groupProofs(rows), (g) => [g.machine, g.zkvm, g.host_target_cpu, g.proof_kind, g.model, g.sha, g.n]).filter(
    (s) => new Set(s.map((g) => g.cores_used)).size > 1,
  );
  const multiMachine = new Set(series.flat().map((g) => g.machine)).size > 1;
  const sizes = styleIndex(series.map((s) => String(s[0].n)));
  const data = series.map((s) => {
    const points = [...s].sort((a, b) => a.cores_used - b.cores_used);
    const g = points[0];
    const name = [`${labelOf(g.zkvm)} ${g.proof_kind}`, `n = ${g.n}`, multiMachine ? g.machine : ""].filter(Boolean).join(" · ");
    return {
      type: "scatter",
      mode: "lines+markers",
      name,
      x: points.map((p) => p.cores_used),
      y: points.map((p) => p.prove_ms.median / 1000),
      error_y: {
        type: "data",
        symmetric: false,
        array: points.map((p) => (p.prove_ms.max - p.prove_ms.median) / 1000),
        arrayminus: points.map((p) => (p.prove_ms.median - p.prove_ms.min) / 1000),
        thickness: 1.2,
        width: 4,
      },
      line: { color: colorOf(g.zkvm), dash: DASHES[sizes(String(g.n)) % DASHES.length] },
      marker: { size: 8 },
      customdata: points.map((p) => p.runs),
      hovertemplate: `%{x} cores<br>prove time: %{y:.4g} s<br>runs: %{customdata}<extra>${name}</extra>`,
    };
  });
  return figure(data, {
    title: { text: "Prove time by cores (pinned)" },
    xaxis: { title: { text: "cores the prover ran on" }, dtick: 1 },
    yaxis: logAxis("prove time (s)", false),
    showlegend: true,
    legend: { orientation: "h", y: -0.22 },
    margin: { l: 70, r: 20, t: 50, b: 120 },
    height: 500,
  });
}

/** Guest cycles by input size (execute), per zkVM and model, with the SHA precompile. */
export function cyclesFigure(rows: readonly TidyRow[]): Figure {
  const counts = cycleCounts(rows).filter((c) => c.sha === "precompile");
  const models = styleIndex(counts.map((c) => c.model));
  const series = groupBy(counts, (c) => [c.machine, c.zkvm, c.model]);
  const multiMachine = new Set(counts.map((c) => c.machine)).size > 1;
  const data = series.map((s) => ({
    type: "scatter",
    mode: "lines+markers",
    name: `${labelOf(s[0].zkvm)} · ${s[0].model}${multiMachine ? ` · ${s[0].machine}` : ""}`,
    x: s.map((c) => c.n),
    y: s.map((c) => c.user_cycles),
    line: { color: colorOf(s[0].zkvm), dash: DASHES[models(s[0].model) % DASHES.length] },
    marker: { symbol: SYMBOLS[models(s[0].model) % SYMBOLS.length], size: 8 },
  }));
  return figure(data, {
    title: { text: "Guest cycles by input size" },
    xaxis: logAxis("test samples n"),
    yaxis: logAxis("user cycles"),
    showlegend: true,
    legend: { orientation: "h", y: -0.22 },
    margin: { l: 70, r: 20, t: 50, b: 120 },
    height: 500,
  });
}

/** Cycles per sample with the zkVM's SHA-256 precompile vs software SHA-256. */
export function precompileFigure(rows: readonly TidyRow[]): Figure {
  const fits = cycleFits(rows);
  const categories = [...new Set(fits.map((f) => `${labelOf(f.zkvm)} · ${f.model}`))];
  const data = (["precompile", "software"] as const).map((sha) => {
    const mine = fits.filter((f) => f.sha === sha);
    return {
      type: "bar",
      name: sha === "precompile" ? "SHA-256 precompile" : "software SHA-256",
      x: categories,
      y: categories.map((c) => mine.find((f) => `${labelOf(f.zkvm)} · ${f.model}` === c)?.cycles_per_sample ?? null),
      marker: { color: sha === "precompile" ? "#55a868" : "#8c8c8c" },
      texttemplate: "%{y:.0f}",
      textposition: "outside",
    };
  });
  return figure(data, {
    title: { text: "Cycles per test sample: precompile on vs off" },
    barmode: "group",
    yaxis: { title: { text: "user cycles per sample" } },
    xaxis: { title: { text: "" } },
  });
}

export interface NamedFigure {
  name: string;
  title: string;
  figure: Figure;
}

/** Every paper figure the rows can support (a figure with no data is left out). */
export function benchFigures(rows: readonly TidyRow[]): NamedFigure[] {
  const all: NamedFigure[] = [
    { name: "prove-time", title: "Prove time vs input size", figure: proveTimeFigure(rows) },
    { name: "verify-time", title: "Verify time vs input size", figure: verifyTimeFigure(rows) },
    { name: "cycles", title: "Guest cycles vs input size", figure: cyclesFigure(rows) },
    { name: "proof-size", title: "Proof size vs input size", figure: proofSizeFigure(rows) },
    { name: "peak-memory", title: "Prover peak memory vs input size", figure: peakMemoryFigure(rows) },
    { name: "throughput", title: "Proving throughput vs input size", figure: throughputFigure(rows) },
    { name: "precompiles", title: "SHA-256 precompile on vs off: cycles", figure: precompileFigure(rows) },
    { name: "workload-prove-time", title: "Prove time vs work per sample", figure: workloadProveTimeFigure(rows) },
    { name: "workload-memory", title: "Peak memory vs work per sample", figure: workloadMemoryFigure(rows) },
    { name: "workload-proof-size", title: "Proof size vs work per sample", figure: workloadProofSizeFigure(rows) },
    { name: "precompile-prove-time", title: "SHA-256 precompile on vs off: prove time", figure: precompileProveTimeFigure(rows) },
    { name: "circuit-vs-zkvm", title: "zkVM vs circuit compiler", figure: circuitVsZkvmFigure(rows) },
    { name: "core-scaling", title: "Prove time by cores", figure: coreScalingFigure(rows) },
  ];
  return all.filter((f) => f.figure.data.some((t) => Array.isArray(t.y) && (t.y as unknown[]).some((v) => v !== null)));
}
