// Binary encoding and validation of the exchange format (spec/FORMAT.md).
import { SpecError } from "./errors.js";
import { MAX_FRAC_BITS, MIN_FRAC_BITS } from "./fixed-point.js";

export const FORMAT_VERSION = 1;
export const MODEL_MAGIC = 0x4c444d5a; // "ZMDL"
export const TESTSET_MAGIC = 0x5453445a; // "ZDST"
export const INPUT_MAGIC = 0x4e49505a; // "ZPIN"
export const OUTPUT_MAGIC = 0x54554f5a; // "ZOUT"
export const MAX_FEATURES = 64;
export const MAX_TERMS = 1024;
export const MAX_SAMPLES = 2 ** 24;
const MODEL_HEADER_WORDS = 8;
const TESTSET_HEADER_WORDS = 5;
const INPUT_HEADER_WORDS = 4;

export type ModelKind = "affine" | "polynomial";
export const MODEL_KIND_CODE: Record<ModelKind, number> = { affine: 1, polynomial: 2 };
const KIND_BY_CODE = new Map<number, ModelKind>([
  [1, "affine"],
  [2, "polynomial"],
]);

/** A model in fixed point, exactly as it is committed. */
export interface QuantizedModel {
  kind: ModelKind;
  fracBits: number;
  nFeatures: number;
  /** Q(F) clip of standardized features; 0n for affine models. */
  zClip: bigint;
  bias: bigint;
  /** Q(F), polynomial only. */
  mean: bigint[];
  /** Q(F) 1/σ, polynomial only. */
  invStd: bigint[];
  /** Feature indices of each term, non-decreasing; length = degree. */
  terms: number[][];
  weights: bigint[];
}

/** A test set in fixed point: row-major, each row d features then the target. */
export interface QuantizedTestSet {
  fracBits: number;
  nFeatures: number;
  nSamples: number;
  rows: Int32Array;
}

export function kindFromCode(code: number): ModelKind {
  const kind = KIND_BY_CODE.get(code);
  if (!kind) throw new SpecError("BadKind", `model kind ${code} is not 1 (affine) or 2 (polynomial)`);
  return kind;
}

function packTerm(indices: number[]): number {
  let word = indices.length;
  for (const [i, index] of indices.entries()) word |= index << (8 * (i + 1));
  return word >>> 0;
}

function unpackTerm(word: number, t: number): number[] {
  const degree = word & 0xff;
  if (degree < 1 || degree > 3) throw new SpecError("BadTerm", `term ${t} has degree ${degree}, expected 1..3`);
  const indices: number[] = [];
  for (let i = 1; i <= 3; i++) {
    const byte = (word >>> (8 * i)) & 0xff;
    if (i <= degree) indices.push(byte);
    else if (byte !== 0) throw new SpecError("BadTerm", `term ${t} has a non-zero unused byte ${i}`);
  }
  return indices;
}

/** Validation shared by encoding and decoding, in the spec's order. */
export function validateModel(m: QuantizedModel): void {
  if (m.fracBits < MIN_FRAC_BITS || m.fracBits > MAX_FRAC_BITS)
    throw new SpecError("BadDimensions", `frac_bits ${m.fracBits} outside [${MIN_FRAC_BITS}, ${MAX_FRAC_BITS}]`);
  if (m.nFeatures < 1 || m.nFeatures > MAX_FEATURES) throw new SpecError("BadDimensions", `n_features ${m.nFeatures} outside [1, ${MAX_FEATURES}]`);
  const T = m.terms.length;
  if (T < 1 || T > MAX_TERMS) throw new SpecError("BadDimensions", `n_terms ${T} outside [1, ${MAX_TERMS}]`);
  if (m.weights.length !== T) throw new SpecError("BadDimensions", `${m.weights.length} weights for ${T} terms`);
  m.terms.forEach((indices, t) => {
    if (indices.length < 1 || indices.length > 3) throw new SpecError("BadTerm", `term ${t} has degree ${indices.length}`);
    indices.forEach((index, i) => {
      if (!Number.isInteger(index) || index < 0 || index >= m.nFeatures)
        throw new SpecError("BadTerm", `term ${t} uses feature ${index}, but the model has ${m.nFeatures}`);
      if (i > 0 && index < indices[i - 1]) throw new SpecError("BadTerm", `term ${t} indices are not non-decreasing`);
    });
  });
  if (m.kind === "affine") {
    if (T !== m.nFeatures) throw new SpecError("BadDimensions", `affine model needs n_terms = n_features, got ${T} ≠ ${m.nFeatures}`);
    m.terms.forEach((indices, j) => {
      if (indices.length !== 1 || indices[0] !== j) throw new SpecError("BadTerm", `affine term ${j} must be feature ${j}`);
    });
    if (m.zClip !== 0n) throw new SpecError("BadDimensions", "affine model must have z_clip 0");
  } else {
    if (m.mean.length !== m.nFeatures || m.invStd.length !== m.nFeatures)
      throw new SpecError("BadDimensions", "polynomial model needs one mean and one inv_std per feature");
    if (m.zClip <= 0n) throw new SpecError("ZClipTooLarge", `z_clip must be positive, got ${m.zClip}`);
    const F = BigInt(m.fracBits);
    for (const g of new Set(m.terms.map((t) => t.length))) {
      const G = BigInt(g);
      if (m.zClip ** G > 2n ** (30n + (G - 1n) * F))
        throw new SpecError("ZClipTooLarge", `z_clip ${m.zClip} (Q${m.fracBits}) raised to degree ${g} exceeds 2^(30+${g - 1}·F)`);
    }
  }
}

export function encodeModel(m: QuantizedModel): Buffer {
  validateModel(m);
  const poly = m.kind === "polynomial";
  const words: number[] = [MODEL_MAGIC, FORMAT_VERSION, MODEL_KIND_CODE[m.kind], m.fracBits, m.nFeatures, m.terms.length, Number(m.zClip), Number(m.bias)];
  if (poly) words.push(...m.mean.map(Number), ...m.invStd.map(Number));
  words.push(...m.terms.map(packTerm), ...m.weights.map(Number));
  return wordsToBuffer(words);
}

export function encodeTestSet(t: QuantizedTestSet): Buffer {
  if (t.nSamples < 1 || t.nSamples > MAX_SAMPLES) throw new SpecError("BadDimensions", `n_samples ${t.nSamples} outside [1, ${MAX_SAMPLES}]`);
  if (t.rows.length !== t.nSamples * (t.nFeatures + 1))
    throw new SpecError("BadDimensions", `rows hold ${t.rows.length} values, expected ${t.nSamples} × ${t.nFeatures + 1}`);
  const buf = Buffer.alloc(4 * (TESTSET_HEADER_WORDS + t.rows.length));
  for (const [i, w] of [TESTSET_MAGIC, FORMAT_VERSION, t.nSamples, t.nFeatures, t.fracBits].entries()) buf.writeUInt32LE(w, 4 * i);
  Buffer.from(t.rows.buffer, t.rows.byteOffset, t.rows.byteLength).copy(buf, 4 * TESTSET_HEADER_WORDS);
  return buf;
}

/** header ‖ model ‖ testset. */
export function encodeInput(model: Buffer, testSet: Buffer): Buffer {
  const header = wordsToBuffer([INPUT_MAGIC, FORMAT_VERSION, model.length / 4, testSet.length / 4]);
  return Buffer.concat([header, model, testSet]);
}

function wordsToBuffer(words: number[]): Buffer {
  const buf = Buffer.alloc(4 * words.length);
  for (const [i, w] of words.entries()) buf.writeUInt32LE(w >>> 0, 4 * i);
  return buf;
}

function readWords(bytes: Uint8Array, what: string): Int32Array {
  if (bytes.byteLength % 4 !== 0) throw new SpecError("Truncated", `${what} is ${bytes.byteLength} bytes, not whole words`);
  // Copy so the view is aligned whatever the source buffer's offset.
  const copy = new Uint8Array(bytes);
  return new Int32Array(copy.buffer, 0, copy.byteLength / 4);
}

function expectHeader(w: Int32Array, magic: number, what: string): void {
  if (w.length < 2) throw new SpecError("Truncated", `${what} is shorter than its header`);
  if (w[0] >>> 0 !== magic) throw new SpecError("BadMagic", `${what} magic 0x${(w[0] >>> 0).toString(16)} ≠ 0x${magic.toString(16)}`);
  if (w[1] !== FORMAT_VERSION) throw new SpecError("BadVersion", `${what} version ${w[1]} ≠ ${FORMAT_VERSION}`);
}

export function decodeModel(bytes: Uint8Array): QuantizedModel {
  const w = readWords(bytes, "model");
  expectHeader(w, MODEL_MAGIC, "model");
  if (w.length < MODEL_HEADER_WORDS) throw new SpecError("Truncated", "model is shorter than its header");
  const kind = kindFromCode(w[2]);
  const [fracBits, nFeatures, nTerms] = [w[3], w[4], w[5]];
  // Order (spec): header fields, then section length, then content.
  if (fracBits < MIN_FRAC_BITS || fracBits > MAX_FRAC_BITS || nFeatures < 1 || nFeatures > MAX_FEATURES || nTerms < 1 || nTerms > MAX_TERMS)
    throw new SpecError("BadDimensions", `frac_bits ${fracBits}, n_features ${nFeatures}, n_terms ${nTerms}: out of range`);
  const poly = kind === "polynomial";
  const expected = MODEL_HEADER_WORDS + (poly ? 2 * nFeatures : 0) + 2 * nTerms;
  if (w.length < expected) throw new SpecError("Truncated", `model has ${w.length} words, needs ${expected}`);
  if (w.length > expected) throw new SpecError("TrailingBytes", `model has ${w.length} words, expected ${expected}`);
  let at = MODEL_HEADER_WORDS;
  const next = (count: number) => {
    const words = w.subarray(at, at + count);
    at += count;
    return words;
  };
  const take = (count: number) => Array.from(next(count), BigInt);
  const mean = poly ? take(nFeatures) : [];
  const invStd = poly ? take(nFeatures) : [];
  const terms = Array.from(next(nTerms), (word, t) => unpackTerm(word >>> 0, t));
  const weights = take(nTerms);
  const model: QuantizedModel = { kind, fracBits, nFeatures, zClip: BigInt(w[6]), bias: BigInt(w[7]), mean, invStd, terms, weights };
  validateModel(model);
  return model;
}

export function decodeTestSet(bytes: Uint8Array): QuantizedTestSet {
  const w = readWords(bytes, "test set");
  expectHeader(w, TESTSET_MAGIC, "test set");
  if (w.length < TESTSET_HEADER_WORDS) throw new SpecError("Truncated", "test set is shorter than its header");
  const [nSamples, nFeatures, fracBits] = [w[2], w[3], w[4]];
  if (nSamples < 1 || nSamples > MAX_SAMPLES || nFeatures < 1 || nFeatures > MAX_FEATURES)
    throw new SpecError("BadDimensions", `n_samples ${nSamples}, n_features ${nFeatures} out of range`);
  const expected = TESTSET_HEADER_WORDS + nSamples * (nFeatures + 1);
  if (w.length < expected) throw new SpecError("Truncated", `test set has ${w.length} words, needs ${expected}`);
  if (w.length > expected) throw new SpecError("TrailingBytes", `test set has ${w.length} words, expected ${expected}`);
  return { fracBits, nFeatures, nSamples, rows: w.slice(TESTSET_HEADER_WORDS) };
}

/** Split a guest input into its model and test-set sections (the committed bytes). */
export function splitInput(bytes: Uint8Array): { model: Uint8Array; testSet: Uint8Array } {
  const w = readWords(bytes, "input");
  expectHeader(w, INPUT_MAGIC, "input");
  if (w.length < INPUT_HEADER_WORDS) throw new SpecError("Truncated", "input is shorter than its header");
  const [modelWords, testSetWords] = [w[2] >>> 0, w[3] >>> 0];
  const expected = INPUT_HEADER_WORDS + modelWords + testSetWords;
  if (w.length < expected) throw new SpecError("Truncated", `input has ${w.length} words, header says ${expected}`);
  if (w.length > expected) throw new SpecError("TrailingBytes", `input has ${w.length} words, header says ${expected}`);
  const start = 4 * INPUT_HEADER_WORDS;
  return {
    model: bytes.subarray(start, start + 4 * modelWords),
    testSet: bytes.subarray(start + 4 * modelWords, start + 4 * (modelWords + testSetWords)),
  };
}

export function checkCompatible(m: QuantizedModel, t: QuantizedTestSet): void {
  if (m.nFeatures !== t.nFeatures || m.fracBits !== t.fracBits)
    throw new SpecError("ModelDataMismatch", `model has d=${m.nFeatures}, F=${m.fracBits}; test set has d=${t.nFeatures}, F=${t.fracBits}`);
}
