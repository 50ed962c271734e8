// The named errors of spec/FORMAT.md; the Rust core uses the same names.
export type SpecErrorCode =
  | "BadMagic"
  | "BadVersion"
  | "BadKind"
  | "BadDimensions"
  | "BadTerm"
  | "ZClipTooLarge"
  | "Truncated"
  | "TrailingBytes"
  | "ModelDataMismatch"
  | "AccumulatorOverflow"
  | "PredictionOverflow"
  | "ScoreOverflow";

export class SpecError extends Error {
  override name = "SpecError";
  constructor(
    readonly code: SpecErrorCode,
    detail: string,
    /** 0-based sample index, for per-sample errors. */
    readonly sample?: number,
  ) {
    super(`${code}: ${detail}`);
  }
}
