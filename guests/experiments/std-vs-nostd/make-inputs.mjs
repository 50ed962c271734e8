// Writes the guest inputs of the std-vs-nostd experiment: for ridge, the
// degree-2 and the degree-3 poly-ridge model, input-<model>-n<n>.bin as the
// benchmark's sweeps make them (src/bench/sized-input.ts: the default
// synthetic data and training, F = 16, the exported test set's first n rows,
// drawn with replacement once n exceeds it), and beside it <model>-n<n>.hex,
// the 168-byte public output the TypeScript reference computes for it.
// Run from the repository root after `npm run build`:
//   node guests/experiments/std-vs-nostd/make-inputs.mjs OUT_DIR N...
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [outDir, ...sizes] = process.argv.slice(2);
if (!outDir || sizes.length === 0) throw new Error("usage: make-inputs.mjs OUT_DIR N...");
const dist = (m) => import(pathToFileURL(resolve("dist", m)).href);
const { staleBuildReason } = await dist("util/build-stamp.js");
const stale = staleBuildReason(process.cwd());
if (stale) throw new Error(`${stale}: run \`npm run build\` first`);
const { runTraining } = await dist("pipeline.js");
const { toDataOptions } = await dist("cli/options.js");
const { workloadModels } = await dist("bench/workload.js");
const { sizedInput } = await dist("bench/sized-input.js");
const { encodePublicOutput } = await dist("export/reference.js");
const { DEFAULT_FRAC_BITS } = await dist("export/write.js");

// The CLI's defaults (`zkml sweep` with no data flags).
const { trained } = runTraining(toDataOptions({ horizonDays: 90, duplicates: "auto", winsorize: true, winsorizeIqr: 3 }));
const models = workloadModels(trained);
mkdirSync(outDir, { recursive: true });
console.error(`test set: ${trained.test.y.length} rows; F = ${DEFAULT_FRAC_BITS}`);
for (const w of ["ridge", "poly2", "poly3"]) {
  for (const n of sizes.map(Number)) {
    const bundle = sizedInput(models.model(w), models.test, models.target, n, DEFAULT_FRAC_BITS);
    writeFileSync(join(outDir, `${w}-n${n}.bin`), bundle.input);
    writeFileSync(join(outDir, `${w}-n${n}.hex`), `${encodePublicOutput(bundle.output).toString("hex")}\n`);
    console.error(`${w} n=${n}: ${bundle.input.length} bytes`);
  }
}
