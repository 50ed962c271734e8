// Guest inputs of a chosen size n: the exported test set's rows, drawn with a
// seeded generator (with replacement once n exceeds the test set). Cycle
// counts and proving costs depend on n and the model, not on the values.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { encodePublicOutput } from "../export/reference.js";
import { buildExport } from "../export/write.js";
import type { Dataset } from "../model/train.js";
import type { FittedModel } from "../model/types.js";
import { writeFileAtomic } from "../util/fs.js";
import { Rng } from "../util/rng.js";
import type { Workload, WorkloadModels } from "./workload.js";

export function resample(test: Dataset, n: number, seed: number): Dataset {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`sample count must be a positive integer, got ${n}`);
  const rng = new Rng(seed);
  const pick = Array.from({ length: n }, (_, i) => (n <= test.y.length ? i : rng.int(0, test.y.length - 1)));
  return { x: pick.map((i) => test.x[i]), y: pick.map((i) => test.y[i]), customerIds: pick.map((i) => test.customerIds[i]) };
}

export function sizedInput(model: FittedModel, test: Dataset, target: string, n: number, fracBits: number, seed = 1) {
  return buildExport(model, resample(test, n, seed), target, fracBits);
}

/** A sweep's inputs: one per (workload, n), shared by every zkVM and command, with
 *  the public output the TypeScript reference expects of it. Each is built
 *  once and written to disk only when a run needs it. */
export class SweepInputs {
  private inputs = new Map<string, { path: string; data: Buffer; expectedHex: string; written: boolean }>();

  constructor(
    private models: WorkloadModels,
    private workDir: string,
    private fracBits: number,
  ) {}

  get(model: Workload, n: number, write = true): { path: string; data: Buffer; expectedHex: string } {
    const path = join(this.workDir, `input-${model}-n${n}-F${this.fracBits}.bin`);
    let entry = this.inputs.get(path);
    if (!entry) {
      const bundle = sizedInput(this.models.model(model), this.models.test, this.models.target, n, this.fracBits);
      entry = { path, data: bundle.input, expectedHex: encodePublicOutput(bundle.output).toString("hex"), written: false };
      this.inputs.set(path, entry);
    }
    if (write && !entry.written) {
      if (!existsSync(path) || !readFileSync(path).equals(entry.data)) writeFileAtomic(path, entry.data);
      entry.written = true;
    }
    return entry;
  }
}
