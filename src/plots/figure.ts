// A plotly figure is plain data ({ data, layout }); these helpers build the
// workbench's figures from results, and render them as HTML where needed.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { isZkvmId, zkvm } from "../zkvm/registry.js";

export interface Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

const BASE_LAYOUT = {
  template: { layout: { font: { family: "Helvetica, Arial, sans-serif", size: 13 } } },
  margin: { l: 70, r: 20, t: 50, b: 60 },
  width: 760,
  height: 440,
};

export function figure(data: Record<string, unknown>[], layout: Record<string, unknown>): Figure {
  return { data, layout: { ...BASE_LAYOUT, ...layout } };
}

let plotlySource: string | undefined;

/** The plotly.js bundle from npm, for self-contained HTML (no CDN: works offline). */
export function plotlyJs(): string {
  plotlySource ??= readFileSync(createRequire(import.meta.url).resolve("plotly.js-dist-min"), "utf8");
  return plotlySource;
}

let divCounter = 0;

/** The class of every figure div, so a page check can wait for all of them
 *  (plotly adds its own classes only once it starts drawing). */
export const FIGURE_CLASS = "zkml-figure";

/** A div plus the script that draws the figure; plotly.js itself is included only when asked. */
export function figureHtml(fig: Figure, options: { includePlotlyJs: boolean }): string {
  const id = `zkml-fig-${process.pid}-${++divCounter}`;
  const lib = options.includePlotlyJs ? `<script type="text/javascript">${plotlyJs()}</script>` : "";
  // JSON is safe inside <script> once "</" is escaped.
  const json = JSON.stringify(fig).replace(/<\//g, "<\\/");
  return (
    `${lib}<div id="${id}" class="${FIGURE_CLASS}" style="width:${fig.layout.width ?? 760}px;height:${fig.layout.height ?? 440}px"></div>` +
    `<script type="text/javascript">(function(){var f=${json};Plotly.newPlot("${id}",f.data,f.layout,{responsive:true,displaylogo:false});})();</script>`
  );
}

const EXTRA_COLORS = ["#55a868", "#8172b2", "#ccb974", "#64b5cd"];

/** A prover's colour from the zkVM table; one this checkout does not know
 *  (rows merged from elsewhere) gets a stable extra colour. */
export function colorOf(id: string): string {
  return isZkvmId(id) ? zkvm(id).color : EXTRA_COLORS[[...id].reduce((s, c) => s + c.charCodeAt(0), 0) % EXTRA_COLORS.length];
}
