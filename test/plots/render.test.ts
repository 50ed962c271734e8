import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { figure, plotlyJs } from "../../src/plots/figure.js";
import { checkPageRenders, figuresPageHtml, renderFigures, writeFiguresPage } from "../../src/plots/render.js";

// Without Chromium these tests skip, visibly; with ZKML_REQUIRE_BROWSER set they run and fail.
const chromiumMissing = !existsSync(process.env.ZKML_CHROMIUM || "/usr/bin/chromium");
const skip = chromiumMissing && !process.env.ZKML_REQUIRE_BROWSER ? "chromium not installed" : false;

const scatter = figure(
  [{ type: "scatter", mode: "markers+lines", name: "prove time", x: [10, 100, 1000], y: [1.5, 12, 130], error_y: { type: "data", array: [0.1, 1, 9] } }],
  { title: { text: "Proving time vs rows" }, xaxis: { type: "log", title: { text: "rows" } }, yaxis: { type: "log", title: { text: "seconds" } } },
);
const bars = figure([{ type: "bar", name: "cycles", x: ["risc0", "sp1", "jolt"], y: [3, 5, 2] }], {
  title: { text: "Cycles by zkVM" },
  width: 500,
  height: 300,
});

function withEnv<T>(name: string, value: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env[name];
  process.env[name] = value;
  return fn().finally(() => {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  });
}

test("renderFigures writes SVG and PNG at the layout size", { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "zkml-render-"));
  const paths = await renderFigures(
    [
      { name: "prove-time", figure: scatter },
      { name: "cycles", figure: bars },
    ],
    dir,
    { scale: 2 },
  );
  assert.deepEqual(
    paths,
    ["prove-time.svg", "prove-time.png", "cycles.svg", "cycles.png"].map((f) => join(dir, f)),
  );

  const svg = readFileSync(join(dir, "prove-time.svg"), "utf8");
  assert.match(svg, /^(<\?xml[^>]*\?>\s*)?<svg[\s>]/);
  assert.match(svg, /Proving time vs rows/);
  assert.match(svg, /class="main-svg"|scatterlayer/);
  assert.match(readFileSync(join(dir, "cycles.svg"), "utf8"), /Cycles by zkVM/);

  for (const [name, width, height] of [
    ["prove-time", 760, 440],
    ["cycles", 500, 300],
  ] as const) {
    const png = readFileSync(join(dir, `${name}.png`));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "PNG signature");
    assert.equal(png.subarray(12, 16).toString("latin1"), "IHDR");
    assert.equal(png.readUInt32BE(16), width * 2);
    assert.equal(png.readUInt32BE(20), height * 2);
  }
});

test("a bad figure name throws before Chromium is launched", async () => {
  // A Chromium that does not exist: reaching the launch would give a different error.
  await withEnv("ZKML_CHROMIUM", "/nonexistent/chromium", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zkml-render-"));
    await assert.rejects(renderFigures([{ name: "Bad Name", figure: bars }], dir), /"Bad Name"/);
    await assert.rejects(renderFigures([{ name: "ok", figure: bars }], dir), /apt-get install chromium|ZKML_CHROMIUM/);
  });
  assert.throws(() => figuresPageHtml([{ name: "../x", figure: bars }], { title: "t" }), /"\.\.\/x"/);
});

test("the figures page inlines plotly.js once, escapes text and draws every plot", { skip }, async () => {
  const items = [
    { name: "prove-time", title: "Proving <time>", figure: scatter },
    { name: "cycles", figure: bars },
  ];
  const html = figuresPageHtml(items, { title: "zkML & zkVMs", intro: "Figures for <the> paper." });
  assert.equal(html.split(plotlyJs().slice(0, 200)).length - 1, 1, "plotly.js inlined exactly once");
  assert.match(html, /<meta charset="utf-8">/);
  assert.match(html, /<h1>zkML &amp; zkVMs<\/h1>/);
  assert.match(html, /<p>Figures for &lt;the&gt; paper\.<\/p>/);
  assert.match(html, /<h2 id="prove-time">Proving &lt;time&gt;<\/h2>/);
  assert.match(html, /<h2 id="cycles">cycles<\/h2>/);
  assert.match(html, /href="cycles\.svg"/);
  assert.match(html, /href="cycles\.png"/);

  const dir = mkdtempSync(join(tmpdir(), "zkml-render-"));
  const path = join(dir, "figures.html");
  writeFiguresPage(items, path, { title: "zkML & zkVMs" });
  // Div ids are unique per call; otherwise the file is exactly the page.
  const sameIds = (html: string) => html.replace(/zkml-fig-\d+-\d+/g, "zkml-fig");
  assert.equal(sameIds(readFileSync(path, "utf8")), sameIds(figuresPageHtml(items, { title: "zkML & zkVMs" })));
  const result = await checkPageRenders(path);
  assert.deepEqual(result, { consoleErrors: [], plots: 2 });
});

test("checkPageRenders reports page errors", { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "zkml-render-"));
  const path = join(dir, "broken.html");
  writeFiguresPage([{ name: "cycles", figure: bars }], path, { title: "t" });
  writeFileSync(path, readFileSync(path, "utf8").replace("</body>", "<script>undefinedFunction()</script></body>"));
  const result = await checkPageRenders(path);
  assert.equal(result.plots, 1);
  assert.equal(result.consoleErrors.length, 1);
  assert.match(result.consoleErrors[0], /undefinedFunction/);
});
