// Figures for notebooks 01–03: data, models and quantization.
import type { QuantizationRow } from "../export/quantization-report.js";
import type { TrainedModels } from "../model/train.js";
import { predict } from "../model/poly.js";
import type { ModelFamily } from "../model/types.js";
import { type Figure, figure } from "./figure.js";

/** Bar chart of how many customers made k purchases. */
export function frequencyDistribution(frequencies: readonly number[], title = "Purchases per customer (calibration window)"): Figure {
  const counts = new Map<number, number>();
  for (const f of frequencies) counts.set(f, (counts.get(f) ?? 0) + 1);
  const xs = [...counts.keys()].sort((a, b) => a - b);
  return figure([{ type: "bar", x: xs, y: xs.map((x) => counts.get(x)), marker: { color: "#4c72b0" } }], {
    title: { text: title },
    xaxis: { title: { text: "purchases" }, tickmode: "auto", nticks: 20 },
    yaxis: { title: { text: "customers (log)" }, type: "log", dtick: 1 },
  });
}

/** Histogram of the target, with the share of zeros in the title: most customers do not return. */
export function targetDistribution(target: readonly number[], name: string): Figure {
  const zeros = target.filter((v) => v === 0).length;
  const share = target.length ? ((100 * zeros) / target.length).toFixed(1) : "0";
  return figure([{ type: "histogram", x: target, nbinsx: 60, marker: { color: "#dd8452" } }], {
    title: { text: `${name}: ${share}% of ${target.length} customers spend 0` },
    xaxis: { title: { text: `${name} (USD)` } },
    yaxis: { title: { text: "customers" }, type: "log" },
  });
}

const COLORS: Record<ModelFamily, string> = { linear: "#4c72b0", ridge: "#55a868", "poly-ridge": "#c44e52" };
// Linear and ridge predictions nearly coincide: different symbols keep both visible.
const SYMBOLS: Record<ModelFamily, string> = { linear: "x", ridge: "circle", "poly-ridge": "diamond" };
// SVG "scatter", not WebGL "scattergl": renders in every browser and in static exports.
const marker = (m: ModelFamily) => ({ size: 4, opacity: 0.45, color: COLORS[m], symbol: SYMBOLS[m] });

export function predictedVsActual(t: TrainedModels): Figure {
  const actual = t.test.y;
  const max = Math.max(...actual, 1);
  const traces = (Object.keys(t.models) as ModelFamily[]).map((m) => ({
    type: "scatter",
    mode: "markers",
    name: m,
    x: actual,
    y: predict(t.models[m], t.test.x),
    marker: marker(m),
  }));
  return figure([...traces, { type: "scatter", mode: "lines", name: "ideal", x: [0, max], y: [0, max], line: { color: "#333", dash: "dot" } }], {
    title: { text: `Predicted vs actual ${t.target} (test set)` },
    xaxis: { title: { text: "actual (USD)" } },
    yaxis: { title: { text: "predicted (USD)" } },
  });
}

export function residuals(t: TrainedModels): Figure {
  const traces = (Object.keys(t.models) as ModelFamily[]).map((m) => {
    const p = predict(t.models[m], t.test.x);
    return {
      type: "scatter",
      mode: "markers",
      name: m,
      x: p,
      y: p.map((v, i) => t.test.y[i] - v),
      marker: marker(m),
    };
  });
  return figure(traces, {
    title: { text: "Residuals (actual − predicted) on the test set" },
    xaxis: { title: { text: "predicted (USD)" } },
    yaxis: { title: { text: "residual (USD)" }, zeroline: true, exponentformat: "SI" },
  });
}

export function crossValidationCurves(t: TrainedModels): Figure {
  const traces = (["ridge", "poly-ridge"] as const).map((m) => ({
    type: "scatter",
    mode: "lines+markers",
    name: m,
    x: t.cv[m].map((c) => c.lambda),
    y: t.cv[m].map((c) => c.mse),
    line: { color: COLORS[m] },
  }));
  return figure(traces, {
    title: { text: "Cross-validated MSE by ridge penalty λ" },
    xaxis: { title: { text: "λ" }, type: "log" },
    yaxis: { title: { text: "CV mean squared error" } },
  });
}

export function quantizationFigure(rows: readonly QuantizationRow[]): Figure {
  const models = [...new Set(rows.map((r) => r.model))] as ModelFamily[];
  const ok = rows.filter((r) => r.error === undefined);
  const traces = models.map((m) => {
    const mine = ok.filter((r) => r.model === m);
    return {
      type: "scatter",
      mode: "lines+markers",
      name: m,
      x: mine.map((r) => r.fracBits),
      y: mine.map((r) => r.meanAbsPredictionError),
      line: { color: COLORS[m] },
    };
  });
  return figure(traces, {
    title: { text: "Fixed-point vs float: mean |Δ prediction| on the test set" },
    xaxis: { title: { text: "fraction bits F" }, dtick: 2 },
    yaxis: { title: { text: "mean |Δ prediction| (USD)" }, type: "log", dtick: 1 },
  });
}
