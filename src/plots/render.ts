// Static figure export for the paper: the same plotly figures the notebooks show,
// rendered to SVG/PNG by headless Chromium (plotly.js needs a real browser to lay
// out text), plus a self-contained HTML page of them and a check that it draws.
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { escapeHtml } from "../util/format.js";
import { writeFileAtomic } from "../util/fs.js";
import { FIGURE_CLASS, type Figure, figureHtml, plotlyJs } from "./figure.js";

export type StaticFormat = "svg" | "png";

const DEFAULT_WIDTH = 760;
const DEFAULT_HEIGHT = 440;
// Names become file names, element ids and link targets; keep them boring.
const SAFE_NAME = /^[a-z0-9][a-z0-9-]*$/;

function checkNames(figures: { name: string }[]): void {
  const seen = new Set<string>();
  for (const { name } of figures) {
    if (!SAFE_NAME.test(name)) throw new Error(`figure name ${JSON.stringify(name)} is not a safe file name (want ${SAFE_NAME})`);
    if (seen.has(name)) throw new Error(`figure name ${JSON.stringify(name)} is used twice`);
    seen.add(name);
  }
}

function chromiumExecutable(): string {
  const path = process.env.ZKML_CHROMIUM || "/usr/bin/chromium";
  if (!existsSync(path)) {
    throw new Error(`Chromium not found at ${path}: run \`apt-get install chromium\` or set ZKML_CHROMIUM to a Chromium executable`);
  }
  return path;
}

/** What the in-page callbacks use (the tsconfig has no DOM lib). */
interface PageGlobals {
  Plotly: { toImage(figure: unknown, options: unknown): Promise<string> };
  document: { readyState: string; querySelectorAll(selector: string): Iterable<{ querySelector(selector: string): unknown }> };
}

interface BrowserSession {
  page: Page;
  /** Console errors and uncaught page errors, in order. */
  errors: string[];
}

/** One headless Chromium for the duration of `fn`, always closed afterwards. */
async function withBrowser<T>(fn: (session: BrowserSession) => Promise<T>): Promise<T> {
  const executablePath = chromiumExecutable();
  // Loaded on first use: playwright-core alone costs most of a second of every CLI start.
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    // No sandbox: runs as root in containers. The rest keeps Chromium from phoning home.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const context = await browser.newContext();
    // Figures must not depend on the network (offline builds, reproducible output):
    // a page that tries to fetch something fails loudly instead of hanging.
    await context.route(/^(https?|wss?):/, (route) => route.abort());
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (msg) => {
      if (msg.type() === "error") errors.push(msg.text());
    });
    page.on("pageerror", (err) => errors.push(err.message));
    return await fn({ page, errors });
  } finally {
    await browser.close();
  }
}

/** The payload of a data URL; plotly URI-encodes SVG (`data:image/svg+xml,%3Csvg…`) and base64-encodes PNG. */
function decodeDataUrl(url: string): Buffer {
  const comma = url.indexOf(",");
  if (!url.startsWith("data:") || comma < 0) throw new Error(`not a data URL: ${url.slice(0, 40)}`);
  const header = url.slice(5, comma);
  const payload = url.slice(comma + 1);
  return header.split(";").includes("base64") ? Buffer.from(payload, "base64") : Buffer.from(decodeURIComponent(payload), "utf8");
}

/**
 * Renders each figure to `<outDir>/<name>.svg` and/or `.png` (PNG at `scale`, default 2;
 * SVG at 1) with one browser for all of them. Returns the written paths.
 */
export async function renderFigures(
  figures: { name: string; figure: Figure }[],
  outDir: string,
  options: { formats?: StaticFormat[]; scale?: number } = {},
): Promise<string[]> {
  checkNames(figures);
  const formats = options.formats ?? ["svg", "png"];
  const pngScale = options.scale ?? 2;
  mkdirSync(outDir, { recursive: true });
  return withBrowser(async ({ page, errors }) => {
    await page.setContent(`<!doctype html><html><head><meta charset="utf-8"><script type="text/javascript">${plotlyJs()}</script></head><body></body></html>`);
    const failIfErrors = (what: string) => {
      if (errors.length > 0) throw new Error(`${what}: browser reported ${errors.join("; ")}`);
    };
    failIfErrors("loading plotly.js");
    const written: string[] = [];
    for (const { name, figure } of figures) {
      for (const format of formats) {
        const imageOptions = {
          format,
          width: Number(figure.layout.width ?? DEFAULT_WIDTH),
          height: Number(figure.layout.height ?? DEFAULT_HEIGHT),
          scale: format === "png" ? pngScale : 1,
        };
        // Runs in the page; the tsconfig has no DOM lib, hence the cast.
        const url = await page.evaluate(({ fig, opts }) => (globalThis as unknown as PageGlobals).Plotly.toImage(fig, opts), {
          fig: { data: figure.data, layout: figure.layout },
          opts: imageOptions,
        });
        failIfErrors(`rendering ${name}.${format}`);
        const path = join(outDir, `${name}.${format}`);
        writeFileAtomic(path, decodeDataUrl(url));
        written.push(path);
      }
    }
    return written;
  });
}

/**
 * One self-contained HTML document of interactive figures (plotly.js inlined once),
 * each with links to its static `<name>.svg` / `<name>.png` beside the page.
 */
export function figuresPageHtml(figures: { name: string; title?: string; figure: Figure }[], options: { title: string; intro?: string }): string {
  checkNames(figures);
  const sections = figures.map(
    ({ name, title, figure }, i) =>
      `<section>\n<h2 id="${name}">${escapeHtml(title ?? name)}</h2>\n` +
      `<p class="files"><a href="${name}.svg">${name}.svg</a> · <a href="${name}.png">${name}.png</a></p>\n` +
      `${figureHtml(figure, { includePlotlyJs: i === 0 })}\n</section>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(options.title)}</title>
<style>body{font-family:Helvetica,Arial,sans-serif;max-width:800px;margin:2em auto;padding:0 1em}.files{font-size:90%}section{margin-bottom:2.5em}</style>
</head>
<body>
<h1>${escapeHtml(options.title)}</h1>
${options.intro ? `<p>${escapeHtml(options.intro)}</p>\n` : ""}${sections.join("\n")}
</body>
</html>
`;
}

export function writeFiguresPage(figures: { name: string; title?: string; figure: Figure }[], path: string, options: { title: string; intro?: string }): void {
  writeFileAtomic(path, figuresPageHtml(figures, options));
}

/**
 * Opens an HTML file in headless Chromium and reports console/page errors and how many
 * plotly plots were drawn: a self-check that a generated page works offline.
 */
export async function checkPageRenders(htmlPath: string): Promise<{ consoleErrors: string[]; plots: number }> {
  return withBrowser(async ({ page, errors }) => {
    await page.goto(pathToFileURL(resolve(htmlPath)).href, { waitUntil: "networkidle" });
    // These callbacks run in the page (serialized, so no closures); the tsconfig has
    // no DOM lib, hence the minimal cast.
    // newPlot may finish asynchronously; wait until every figure div has its SVG root.
    await page
      .waitForFunction(
        // Until the document is complete, later figure divs may not be parsed yet
        // (the inlined plotly.js is a large blocking script).
        (selector) =>
          (globalThis as unknown as PageGlobals).document.readyState === "complete" &&
          [...(globalThis as unknown as PageGlobals).document.querySelectorAll(selector)].every((el) => el.querySelector(".main-svg") !== null),
        `.${FIGURE_CLASS}`,
        { timeout: 30_000 },
      )
      .catch(() => undefined); // not drawn in time: counted as missing below
    // A plot has several .main-svg layers; count each plot div once.
    const plots = await page.evaluate(
      (selector) =>
        [...(globalThis as unknown as PageGlobals).document.querySelectorAll(selector)].filter((el) => el.querySelector(".main-svg") !== null).length,
      `.${FIGURE_CLASS}`,
    );
    return { consoleErrors: [...errors], plots };
  });
}
