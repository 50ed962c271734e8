// Shared test vectors (spec/vectors/): guest inputs with the public output the
// TypeScript reference computes for them, or the error it must raise. The Rust
// core checks the same files, so both sides are held to one set of bytes.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { allTerms } from "../model/poly.js";
import { Rng } from "../util/rng.js";
import { SpecError } from "./errors.js";
import { quantize } from "./fixed-point.js";
import { type QuantizedModel, type QuantizedTestSet, encodeInput, encodeModel, encodeTestSet } from "./format.js";
import { encodePublicOutput, evaluateInput } from "./reference.js";

export interface Vector {
  name: string;
  description: string;
  input: Buffer;
}

export interface VectorExpectation {
  name: string;
  description: string;
  expect: string; // "ok" or a SpecErrorCode
  public_output_hex?: string;
  model_commitment?: string;
  data_commitment?: string;
  predictions?: number[];
  /** 0-based sample index, for per-sample errors. */
  sample?: number;
}

const q = (v: number, F: number) => quantize(v, F, "vector value");

function affine(F: number, bias: number, weights: number[]): QuantizedModel {
  return {
    kind: "affine",
    fracBits: F,
    nFeatures: weights.length,
    zClip: 0n,
    bias: q(bias, F),
    mean: [],
    invStd: [],
    terms: weights.map((_, j) => [j]),
    weights: weights.map((w) => q(w, F)),
  };
}

function polynomial(
  F: number,
  opts: { bias: number; mean: number[]; std: number[]; zClip: number; degree: number; weights: (t: number) => number },
): QuantizedModel {
  const terms = allTerms(opts.mean.length, opts.degree);
  return {
    kind: "polynomial",
    fracBits: F,
    nFeatures: opts.mean.length,
    zClip: q(opts.zClip, F),
    bias: q(opts.bias, F),
    mean: opts.mean.map((m) => q(m, F)),
    invStd: opts.std.map((s) => q(1 / s, F)),
    terms,
    weights: terms.map((_, t) => q(opts.weights(t), F)),
  };
}

function testSet(F: number, rows: number[][]): QuantizedTestSet {
  const d = rows[0].length - 1;
  return { fracBits: F, nFeatures: d, nSamples: rows.length, rows: Int32Array.from(rows.flat().map((v) => Number(q(v, F)))) };
}

function randomRows(rng: Rng, n: number, d: number, scale: number): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: d + 1 }, () => Math.round(rng.normal() * scale * 1000) / 1000));
}

const input = (m: QuantizedModel, t: QuantizedTestSet) => encodeInput(encodeModel(m), encodeTestSet(t));

/** Overwrite one little-endian word of a buffer (for malformed inputs). */
function patchWord(buf: Buffer, wordIndex: number, value: number): Buffer {
  const copy = Buffer.from(buf);
  copy.writeUInt32LE(value >>> 0, 4 * wordIndex);
  return copy;
}

// Word indices inside an input: the model section starts after the 4-word input
// header; an affine model's terms follow its 8-word header directly.
const MODEL_AT = 4;

export function buildVectors(): Vector[] {
  const rng = new Rng(20261124);
  const basic = affine(16, 1.5, [0.5, -2.25, 1 / 3]);
  const basicData = testSet(16, [
    [1, 2, 3, -1],
    [0, 0, 0, 1.5],
    [-4.5, 1.25, 9, 0],
    [100, -50.5, 0.001, 40],
    [0.5, 0.5, 0.5, 0.25],
  ]);
  const basicInput = input(basic, basicData);
  const vectors: Vector[] = [
    { name: "affine-basic", description: "affine d=3, F=16, mixed signs", input: basicInput },
    {
      name: "affine-rounding-ties",
      description: "F=2 so that round_shift hits exact halves, positive and negative",
      input: input(
        affine(2, 0, [0.25]),
        testSet(2, [
          [0.25, 0],
          [0.5, 0],
          [0.75, 1],
          [-0.25, 0],
          [-0.5, 0],
          [-0.75, -1],
          [1.5, 0.5],
        ]),
      ),
    },
    {
      name: "poly2-basic",
      description: "polynomial degree 2, d=2, F=16, some standardized values clipped at ±3",
      input: input(
        polynomial(16, { bias: 10, mean: [5, -1], std: [2, 0.5], zClip: 3, degree: 2, weights: (t) => [1.5, -0.75, 0.25, 0.125, -0.0625][t] }),
        testSet(16, [
          [5, -1, 10],
          [7, -0.5, 12],
          [20, -1, 30],
          [-10, 3, 0],
          [6.5, -1.25, 11],
          [4, 0, 9.5],
        ]),
      ),
    },
    {
      name: "poly3-clip",
      description: "polynomial degree 3, d=3, F=12, z_clip=4 with values beyond the clip",
      input: input(
        polynomial(12, { bias: -2, mean: [1, 2, 3], std: [1, 2, 0.5], zClip: 4, degree: 3, weights: (t) => ((t % 5) - 2) * 0.1875 }),
        testSet(12, randomRows(rng, 8, 3, 4)),
      ),
    },
    {
      name: "r2-undefined",
      description: "constant targets: SST = 0, so r2 is published as i64::MIN",
      input: input(
        affine(16, 0, [1, 1]),
        testSet(16, [
          [1, 2, 7],
          [3, 4, 7],
          [0, 0, 7],
        ]),
      ),
    },
    {
      name: "random-affine-d7",
      description: "seeded random affine model, d=7, n=64, F=16",
      input: input(
        affine(
          16,
          rng.normal() * 50,
          Array.from({ length: 7 }, () => rng.normal() * 3),
        ),
        testSet(16, randomRows(rng, 64, 7, 40)),
      ),
    },
    {
      name: "random-poly2-d7",
      description: "seeded random polynomial degree 2, d=7, n=64, F=16, z_clip=8",
      input: input(
        polynomial(16, {
          bias: 100,
          mean: Array.from({ length: 7 }, () => rng.normal() * 10),
          std: Array.from({ length: 7 }, () => 1 + rng.uniform() * 20),
          zClip: 8,
          degree: 2,
          weights: () => rng.normal() * 5,
        }),
        testSet(16, randomRows(rng, 64, 7, 60)),
      ),
    },
    {
      name: "random-poly3-d4",
      description: "seeded random polynomial degree 3, d=4, n=32, F=14, z_clip=6",
      input: input(
        polynomial(14, {
          bias: -5,
          mean: Array.from({ length: 4 }, () => rng.normal()),
          std: Array.from({ length: 4 }, () => 0.5 + rng.uniform() * 3),
          zClip: 6,
          degree: 3,
          weights: () => rng.normal(),
        }),
        testSet(14, randomRows(rng, 32, 4, 5)),
      ),
    },
  ];

  // Malformed and overflowing inputs: one defect each.
  const bigWeights = affine(16, 0, [0, 0, 0, 0]);
  bigWeights.weights = bigWeights.weights.map(() => 2n ** 31n - 1n);
  const bigRows: QuantizedTestSet = {
    fracBits: 16,
    nFeatures: 4,
    nSamples: 2,
    rows: Int32Array.from([1, 1, 1, 1, 0, 2 ** 31 - 1, 2 ** 31 - 1, 2 ** 31 - 1, 2 ** 31 - 1, 0]),
  };
  const wideData = testSet(16, [[1, 2, 3, 4, 5]]);
  vectors.push(
    { name: "err-bad-magic", description: "input header magic is wrong", input: patchWord(basicInput, 0, 0x12345678) },
    { name: "err-bad-version", description: "model version 2", input: patchWord(basicInput, MODEL_AT + 1, 2) },
    { name: "err-bad-kind", description: "model kind 3", input: patchWord(basicInput, MODEL_AT + 2, 3) },
    { name: "err-bad-dimensions", description: "model frac_bits 0", input: patchWord(basicInput, MODEL_AT + 3, 0) },
    { name: "err-bad-term", description: "affine term 1 names feature 2", input: patchWord(basicInput, MODEL_AT + 8 + 1, 0x0201) },
    { name: "err-truncated", description: "input one word shorter than its header says", input: basicInput.subarray(0, basicInput.length - 4) },
    { name: "err-trailing-bytes", description: "one extra word after the test set", input: Buffer.concat([basicInput, Buffer.alloc(4)]) },
    {
      name: "err-model-data-mismatch",
      description: "model d=3, test set d=4",
      input: encodeInput(encodeModel(basic), encodeTestSet(wideData)),
    },
    {
      name: "err-zclip-too-large",
      description: "degree-3 model with z_clip = 2^20 at F=12",
      input: patchWord(
        input(polynomial(12, { bias: 0, mean: [0], std: [1], zClip: 1, degree: 3, weights: () => 1 }), testSet(12, [[1, 1]])),
        MODEL_AT + 6,
        2 ** 20,
      ),
    },
    {
      name: "err-accumulator-overflow",
      description: "four i32::MAX × i32::MAX products overflow the i64 accumulator at sample 1",
      input: encodeInput(encodeModel(bigWeights), encodeTestSet(bigRows)),
    },
    {
      name: "err-score-overflow",
      description: "predictions 2^31 away from near-constant targets at F=24: R² is far outside i64",
      input: encodeInput(
        encodeModel({ kind: "affine", fracBits: 24, nFeatures: 1, zClip: 0n, bias: 2n ** 31n - 1n, mean: [], invStd: [], terms: [[0]], weights: [0n] }),
        encodeTestSet({ fracBits: 24, nFeatures: 1, nSamples: 2, rows: Int32Array.from([0, 0, 0, 1]) }),
      ),
    },
    {
      name: "err-prediction-overflow",
      description: "a prediction of 2^19 does not fit Q15.16",
      input: input(
        affine(16, 0, [2 ** 14]),
        testSet(16, [
          [1, 0],
          [32, 0],
        ]),
      ),
    },
  );
  return vectors;
}

/** Run the reference on a vector: its expected outcome, as stored in the JSON file. */
export function expectationOf(v: Vector): VectorExpectation {
  try {
    const { output, predictions } = evaluateInput(v.input);
    return {
      name: v.name,
      description: v.description,
      expect: "ok",
      public_output_hex: encodePublicOutput(output).toString("hex"),
      model_commitment: output.modelCommitment,
      data_commitment: output.dataCommitment,
      predictions: Array.from(predictions),
    };
  } catch (err) {
    if (err instanceof SpecError)
      return { name: v.name, description: v.description, expect: err.code, ...(err.sample === undefined ? {} : { sample: err.sample }) };
    throw err;
  }
}

/** Writes the vectors into `dir` and removes the vectors an earlier run wrote
 *  there that are no longer in the set (a `<name>.json` expectation naming
 *  itself, and its `<name>.input.bin`). Nothing else in `dir` is touched. */
export function writeVectors(dir: string): VectorExpectation[] {
  mkdirSync(dir, { recursive: true });
  const written = buildVectors().map((v) => {
    const expectation = expectationOf(v);
    writeFileSync(join(dir, `${v.name}.input.bin`), v.input);
    writeFileSync(join(dir, `${v.name}.json`), JSON.stringify(expectation, null, 2) + "\n");
    return expectation;
  });
  const current = new Set(written.map((e) => e.name));
  for (const f of readdirSync(dir)) {
    const name = f.endsWith(".json") ? f.slice(0, -".json".length) : null;
    if (name === null || current.has(name) || !isVectorExpectation(join(dir, f), name)) continue;
    rmSync(join(dir, f));
    rmSync(join(dir, `${name}.input.bin`), { force: true });
  }
  return written;
}

function isVectorExpectation(path: string, name: string): boolean {
  try {
    const e = JSON.parse(readFileSync(path, "utf8"));
    return e?.name === name && typeof e?.expect === "string" && typeof e?.description === "string";
  } catch {
    return false;
  }
}

export function readVectors(dir: string): { vector: Vector; expectation: VectorExpectation }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const expectation = JSON.parse(readFileSync(join(dir, f), "utf8")) as VectorExpectation;
      const input = readFileSync(join(dir, `${expectation.name}.input.bin`));
      return { vector: { name: expectation.name, description: expectation.description, input }, expectation };
    });
}
