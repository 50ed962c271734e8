import assert from "node:assert/strict";
import { test } from "node:test";
import { figureHtml } from "../../src/plots/figure.js";
import { frequencyDistribution, quantizationFigure, targetDistribution } from "../../src/plots/workbench.js";

test("frequency distribution counts customers per purchase count", () => {
  const fig = frequencyDistribution([1, 1, 1, 2, 5]);
  assert.deepEqual(fig.data[0].x, [1, 2, 5]);
  assert.deepEqual(fig.data[0].y, [3, 1, 1]);
});

test("target distribution states the share of zeros", () => {
  const fig = targetDistribution([0, 0, 0, 10], "spend_90_days");
  assert.match(String((fig.layout.title as { text: string }).text), /75\.0% of 4 customers spend 0/);
});

test("quantization figure plots only the settings that could be represented", () => {
  const ok = { model: "ridge", r2Float: 0.5, r2Fixed: 0.5, mseFloat: 1, mseFixed: 1, maxAbsPredictionError: 0.1 };
  const fig = quantizationFigure([
    { ...ok, fracBits: 12, meanAbsPredictionError: 0.01 },
    {
      ...ok,
      fracBits: 20,
      r2Float: null,
      r2Fixed: null,
      mseFloat: null,
      mseFixed: null,
      maxAbsPredictionError: null,
      meanAbsPredictionError: null,
      error: "does not fit",
    },
  ]);
  assert.deepEqual(fig.data[0].x, [12]);
});

test("figure HTML embeds plotly.js only when asked and escapes </script>", () => {
  const fig = { data: [{ type: "bar", x: ["</script>"], y: [1] }], layout: { title: { text: "t" } } };
  const bare = figureHtml(fig, { includePlotlyJs: false });
  assert.equal(bare.split("</script>").length - 1, 1, "the payload must not close the script tag early");
  assert.ok(bare.length < 2000);
  assert.ok(figureHtml(fig, { includePlotlyJs: true }).length > 1_000_000);
});
