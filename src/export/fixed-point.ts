// Fixed-point arithmetic exactly as spec/FORMAT.md defines it. BigInt keeps
// every intermediate exact, so this is the reference the guests must match.

export const I32_MIN = -(2n ** 31n);
export const I32_MAX = 2n ** 31n - 1n;
export const I64_MIN = -(2n ** 63n);
export const I64_MAX = 2n ** 63n - 1n;
export const I128_MIN = -(2n ** 127n);
export const I128_MAX = 2n ** 127n - 1n;
export const U64_MAX = 2n ** 64n - 1n;
export const U128_MAX = 2n ** 128n - 1n;
export const MIN_FRAC_BITS = 1;
export const MAX_FRAC_BITS = 24;

export class QuantizationError extends Error {
  override name = "QuantizationError";
}

export function fitsI32(v: bigint): boolean {
  return v >= I32_MIN && v <= I32_MAX;
}

export function checkFracBits(fracBits: number): void {
  if (!Number.isInteger(fracBits) || fracBits < MIN_FRAC_BITS || fracBits > MAX_FRAC_BITS) {
    throw new QuantizationError(`fraction bits must be an integer in [${MIN_FRAC_BITS}, ${MAX_FRAC_BITS}], got ${fracBits}`);
  }
}

/** round half away from zero of v·2^F, as an i32; `what` names the value in the error. */
export function quantize(v: number, fracBits: number, what: string): bigint {
  if (!Number.isFinite(v)) throw new QuantizationError(`${what}: value ${v} is not finite`);
  const scaled = v * 2 ** fracBits;
  const rounded = Math.sign(scaled) * Math.round(Math.abs(scaled));
  const q = BigInt(rounded);
  if (!fitsI32(q)) {
    throw new QuantizationError(
      `${what}: value ${v} does not fit a signed 32-bit Q${31 - fracBits}.${fracBits} number ` + `(limit ±${2 ** (31 - fracBits)}); use fewer fraction bits`,
    );
  }
  return q;
}

export function dequantize(q: bigint, fracBits: number): number {
  return Number(q) / 2 ** fracBits;
}

/** (v + 2^(F-1)) >> F with a flooring shift: round half up. */
export function roundShift(v: bigint, fracBits: number): bigint {
  return (v + (1n << BigInt(fracBits - 1))) >> BigInt(fracBits);
}

/** floor((a + floor(b/2)) / b) for a ≥ 0, b > 0. */
export function roundDiv(a: bigint, b: bigint): bigint {
  if (a < 0n || b <= 0n) throw new RangeError(`roundDiv needs a ≥ 0 and b > 0, got ${a}, ${b}`);
  return (a + b / 2n) / b;
}

/** Round half away from zero. */
export function roundDivSigned(a: bigint, b: bigint): bigint {
  return a < 0n ? -roundDiv(-a, b) : roundDiv(a, b);
}

export function clamp(v: bigint, lo: bigint, hi: bigint): bigint {
  return v < lo ? lo : v > hi ? hi : v;
}
