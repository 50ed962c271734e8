// The integer inference and scoring of spec/FORMAT.md: the reference every
// guest must reproduce bit for bit.
import { createHash } from "node:crypto";
import { SpecError } from "./errors.js";
import { I128_MAX, I128_MIN, I64_MAX, I64_MIN, clamp, fitsI32, roundDiv, roundDivSigned, roundShift } from "./fixed-point.js";
import {
  FORMAT_VERSION,
  MODEL_KIND_CODE,
  OUTPUT_MAGIC,
  type ModelKind,
  type QuantizedModel,
  type QuantizedTestSet,
  checkCompatible,
  decodeModel,
  decodeTestSet,
  kindFromCode,
  splitInput,
} from "./format.js";

export const PUBLIC_OUTPUT_BYTES = 168;

/** What a guest publishes: the claim a verifier checks. */
export interface PublicOutput {
  modelCommitment: string; // hex SHA-256 of model.bin
  dataCommitment: string; // hex SHA-256 of testset.bin
  kind: ModelKind;
  fracBits: number;
  nSamples: number;
  nFeatures: number;
  sse: bigint;
  sae: bigint;
  sumY: bigint;
  sumY2: bigint;
  /** Q(F); null when R² is undefined (constant targets), encoded as i64::MIN. */
  r2: bigint | null;
  mse: bigint;
  mae: bigint;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Per-sample prediction, Q(F), with the spec's overflow checks. */
export function makePredictor(m: QuantizedModel): (row: Int32Array, offset: number, sample: number) => bigint {
  const F = m.fracBits;
  const biasTerm = m.bias << BigInt(F);
  const weights = m.weights;
  const d = m.nFeatures;
  const finish = (acc: bigint, sample: number): bigint => {
    const yHat = roundShift(acc, F);
    if (!fitsI32(yHat)) throw new SpecError("PredictionOverflow", `prediction ${yHat} of sample ${sample} does not fit i32`, sample);
    return yHat;
  };
  const add = (acc: bigint, term: bigint, sample: number): bigint => {
    const sum = acc + term;
    if (sum > I64_MAX || sum < I64_MIN) throw new SpecError("AccumulatorOverflow", `accumulator overflows i64 at sample ${sample}`, sample);
    return sum;
  };
  if (m.kind === "affine") {
    return (rows, offset, sample) => {
      let acc = biasTerm;
      for (let j = 0; j < d; j++) acc = add(acc, weights[j] * BigInt(rows[offset + j]), sample);
      return finish(acc, sample);
    };
  }
  const z = new Array<bigint>(d);
  const hi = m.zClip;
  const lo = -m.zClip;
  return (rows, offset, sample) => {
    for (let j = 0; j < d; j++) z[j] = clamp(roundShift((BigInt(rows[offset + j]) - m.mean[j]) * m.invStd[j], F), lo, hi);
    let acc = biasTerm;
    m.terms.forEach((idx, t) => {
      let mono = z[idx[0]];
      if (idx.length >= 2) mono = roundShift(mono * z[idx[1]], F);
      if (idx.length === 3) mono = roundShift(mono * z[idx[2]], F);
      acc = add(acc, weights[t] * mono, sample);
    });
    return finish(acc, sample);
  };
}

export interface Evaluation {
  output: PublicOutput;
  predictions: Int32Array;
}

export function evaluate(modelBytes: Uint8Array, testSetBytes: Uint8Array): Evaluation {
  const model = decodeModel(modelBytes);
  const testSet = decodeTestSet(testSetBytes);
  checkCompatible(model, testSet);
  return score(model, testSet, sha256Hex(modelBytes), sha256Hex(testSetBytes));
}

export function evaluateInput(inputBytes: Uint8Array): Evaluation {
  const { model, testSet } = splitInput(inputBytes);
  return evaluate(model, testSet);
}

function score(m: QuantizedModel, t: QuantizedTestSet, modelCommitment: string, dataCommitment: string): Evaluation {
  const predict = makePredictor(m);
  const stride = t.nFeatures + 1;
  const predictions = new Int32Array(t.nSamples);
  let sse = 0n,
    sae = 0n,
    sumY = 0n,
    sumY2 = 0n;
  for (let i = 0; i < t.nSamples; i++) {
    const offset = i * stride;
    const yHat = predict(t.rows, offset, i);
    const y = BigInt(t.rows[offset + t.nFeatures]);
    const e = yHat - y;
    const absE = e < 0n ? -e : e;
    predictions[i] = Number(yHat);
    sse += absE * absE;
    sae += absE;
    sumY += y;
    sumY2 += y * y;
  }
  const n = BigInt(t.nSamples);
  const F = BigInt(t.fracBits);
  const nSst = n * sumY2 - sumY * sumY;
  let r2: bigint | null = null;
  if (nSst !== 0n) {
    const numerator = (nSst - n * sse) << F;
    const checked = [n * sse, nSst - n * sse, numerator];
    if (checked.some((v) => v > I128_MAX || v < I128_MIN)) throw new SpecError("ScoreOverflow", "R² numerator overflows i128");
    r2 = roundDivSigned(numerator, nSst);
    // i64::MIN itself is reserved for "undefined", so it counts as out of range too.
    if (r2 > I64_MAX || r2 <= I64_MIN) throw new SpecError("ScoreOverflow", `R² ${r2} (Q${t.fracBits}) does not fit i64`);
  }
  const output: PublicOutput = {
    modelCommitment,
    dataCommitment,
    kind: m.kind,
    fracBits: t.fracBits,
    nSamples: t.nSamples,
    nFeatures: t.nFeatures,
    sse,
    sae,
    sumY,
    sumY2,
    r2,
    mse: roundDiv(sse, n << F),
    mae: roundDiv(sae, n),
  };
  return { output, predictions };
}

// ---- public output bytes ----

function writeInt(buf: Buffer, value: bigint, offset: number, bytes: number): void {
  let v = BigInt.asUintN(8 * bytes, value);
  for (let i = 0; i < bytes; i++, v >>= 8n) buf[offset + i] = Number(v & 0xffn);
}

function readUint(buf: Uint8Array, offset: number, bytes: number): bigint {
  let v = 0n;
  for (let i = bytes - 1; i >= 0; i--) v = (v << 8n) | BigInt(buf[offset + i]);
  return v;
}

export function encodePublicOutput(o: PublicOutput): Buffer {
  const buf = Buffer.alloc(PUBLIC_OUTPUT_BYTES);
  buf.writeUInt32LE(OUTPUT_MAGIC, 0);
  buf.writeUInt32LE(FORMAT_VERSION, 4);
  Buffer.from(o.modelCommitment, "hex").copy(buf, 8);
  Buffer.from(o.dataCommitment, "hex").copy(buf, 40);
  buf.writeUInt32LE(MODEL_KIND_CODE[o.kind], 72);
  buf.writeUInt32LE(o.fracBits, 76);
  buf.writeUInt32LE(o.nSamples, 80);
  buf.writeUInt32LE(o.nFeatures, 84);
  writeInt(buf, o.sse, 88, 16);
  writeInt(buf, o.sae, 104, 16);
  writeInt(buf, o.sumY, 120, 8);
  writeInt(buf, o.sumY2, 128, 16);
  writeInt(buf, o.r2 ?? I64_MIN, 144, 8);
  writeInt(buf, o.mse, 152, 8);
  writeInt(buf, o.mae, 160, 8);
  return buf;
}

export function decodePublicOutput(bytes: Uint8Array): PublicOutput {
  if (bytes.length < PUBLIC_OUTPUT_BYTES) throw new SpecError("Truncated", `public output is ${bytes.length} bytes, expected ${PUBLIC_OUTPUT_BYTES}`);
  if (bytes.length > PUBLIC_OUTPUT_BYTES) throw new SpecError("TrailingBytes", `public output is ${bytes.length} bytes, expected ${PUBLIC_OUTPUT_BYTES}`);
  const buf = Buffer.from(bytes);
  if (buf.readUInt32LE(0) !== OUTPUT_MAGIC) throw new SpecError("BadMagic", "public output magic");
  if (buf.readUInt32LE(4) !== FORMAT_VERSION) throw new SpecError("BadVersion", `public output version ${buf.readUInt32LE(4)}`);
  const r2 = BigInt.asIntN(64, readUint(buf, 144, 8));
  return {
    modelCommitment: buf.subarray(8, 40).toString("hex"),
    dataCommitment: buf.subarray(40, 72).toString("hex"),
    kind: kindFromCode(buf.readUInt32LE(72)),
    fracBits: buf.readUInt32LE(76),
    nSamples: buf.readUInt32LE(80),
    nFeatures: buf.readUInt32LE(84),
    sse: readUint(buf, 88, 16),
    sae: readUint(buf, 104, 16),
    sumY: BigInt.asIntN(64, readUint(buf, 120, 8)),
    sumY2: readUint(buf, 128, 16),
    r2: r2 === I64_MIN ? null : r2,
    mse: readUint(buf, 152, 8),
    mae: readUint(buf, 160, 8),
  };
}

/** The published score as real numbers. */
export function scoreOf(o: PublicOutput): { r2: number | null; mse: number; mae: number } {
  const scale = 2 ** o.fracBits;
  return { r2: o.r2 === null ? null : Number(o.r2) / scale, mse: Number(o.mse) / scale, mae: Number(o.mae) / scale };
}
