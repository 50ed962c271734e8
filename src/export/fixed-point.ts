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

const scaledToI32 = (v: number, fracBits: number) => {
  const scaled = v * 2 ** fracBits;
  return BigInt(Math.sign(scaled) * Math.round(Math.abs(scaled)));
};

/** The most fraction bits (MIN_FRAC_BITS…MAX_FRAC_BITS) at which v fits an i32, or null when none does. */
export function maxFracBitsFor(v: number): number | null {
  for (let f = MAX_FRAC_BITS; f >= MIN_FRAC_BITS; f--) if (Number.isFinite(v) && fitsI32(scaledToI32(v, f))) return f;
  return null;
}

/** round half away from zero of v·2^F, as an i32; `what` names the value in the error. */
export function quantize(v: number, fracBits: number, what: string): bigint {
  if (!Number.isFinite(v)) throw new QuantizationError(`${what}: value ${v} is not finite`);
  const q = scaledToI32(v, fracBits);
  if (!fitsI32(q)) {
    // Fewer fraction bits help only a value that fits at some setting; for any other the value is the problem.
    const fits = maxFracBitsFor(v);
    throw new QuantizationError(
      `${what}: value ${v} does not fit a signed 32-bit Q${31 - fracBits}.${fracBits} number (limit ±${2 ** (31 - fracBits)}); ` +
        (fits !== null
          ? `use at most ${fits} fraction bits (-F ${fits})`
          : `it is out of range at any fraction bits (the widest setting, Q${31 - MIN_FRAC_BITS}.${MIN_FRAC_BITS}, holds ±${2 ** (31 - MIN_FRAC_BITS)}): ` +
            "the value itself is wrong or too large for the guests"),
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
