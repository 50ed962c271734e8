// Rich output in tslab notebooks. tslab's public display API sends one MIME
// type as a string; a plotly figure needs a bundle: the plotly JSON *object*
// (rendered natively by JupyterLab's and VS Code's plotly renderers) plus an
// HTML fallback with plotly.js, as plotly.py does. So we send the bundle
// through tslab's own display channel.
import { createRequire } from "node:module";
import { columnsOf, escapeHtml, formatCell } from "../util/format.js";
import { type Figure, figureHtml } from "./figure.js";

type WriteDisplayData = (msg: { data: Record<string, unknown>; metadata: object; transient: object }, update: boolean) => void;

function displayChannel(): WriteDisplayData {
  let jupyter: { lastWriteDisplayData?: WriteDisplayData | null };
  try {
    jupyter = createRequire(import.meta.url)("tslab/dist/jupyter");
  } catch {
    throw new Error("showFigure needs the tslab kernel (package tslab is not installed)");
  }
  const write = jupyter.lastWriteDisplayData;
  if (!write) throw new Error("showFigure must be called from a cell running in the tslab kernel");
  return write;
}

let plotlySent = false;

export function showFigure(fig: Figure): void {
  const html = figureHtml(fig, { includePlotlyJs: !plotlySent });
  plotlySent = true;
  displayChannel()(
    {
      data: {
        "application/vnd.plotly.v1+json": { data: fig.data, layout: fig.layout },
        "text/html": html,
        "text/plain": `<plotly figure: ${String((fig.layout.title as { text?: string })?.text ?? "")}>`,
      },
      metadata: {},
      transient: {},
    },
    false,
  );
}

/** An HTML table of records (plus a plain-text copy for text-only viewers). */
export function showTable(rows: readonly object[], options: { digits?: number } = {}): void {
  const digits = options.digits ?? 4;
  const cell = (v: unknown) => formatCell(v, digits);
  const columns = columnsOf(rows);
  const body = rows.map((r) => `<tr>${columns.map((c) => `<td>${escapeHtml(cell((r as Record<string, unknown>)[c]))}</td>`).join("")}</tr>`).join("");
  const html = `<table><thead><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr></thead><tbody>${body}</tbody></table>`;
  const text = [columns.join("\t"), ...rows.map((r) => columns.map((c) => cell((r as Record<string, unknown>)[c])).join("\t"))].join("\n");
  displayChannel()({ data: { "text/html": html, "text/plain": text }, metadata: {}, transient: {} }, false);
}
