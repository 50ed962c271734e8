use core::fmt;

/// Why an input is rejected. The variant names are the spec's error names
/// (`spec/FORMAT.md`, "Errors"), shared with the TypeScript side and the vectors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Error {
    /// A section's (or the public output's) magic word is wrong.
    BadMagic,
    /// A section's (or the public output's) version is not 1.
    BadVersion,
    /// The model kind (or the public output's) is neither 1 (affine) nor 2
    /// (polynomial).
    BadKind,
    /// `frac_bits`, `n_features`, `n_terms` or `n_samples` out of range, or an
    /// affine model whose term count differs from its feature count or whose
    /// `z_clip` is not 0.
    BadDimensions,
    /// A model term has a bad degree, a feature index out of range, decreasing
    /// indices, non-zero unused bytes, or (affine) is not `(1, j)`.
    BadTerm,
    /// A polynomial model's `z_clip` is not positive, or so large that a monomial
    /// could overflow `i32`.
    ZClipTooLarge,
    /// The input (or a section in it) ends before its declared content.
    Truncated,
    /// The input (or a section in it) has words after its declared content.
    TrailingBytes,
    /// The test set's feature count or fraction bits differ from the model's.
    ModelDataMismatch,
    /// The `i64` accumulator of a prediction overflowed.
    AccumulatorOverflow {
        /// 0-based index of the sample in the test set.
        sample: u32,
    },
    /// A prediction does not fit `i32`.
    PredictionOverflow {
        /// 0-based index of the sample in the test set.
        sample: u32,
    },
    /// The R² computation overflowed `i128`, or its result does not fit `i64`.
    ScoreOverflow,
}

impl Error {
    /// The spec's name of the error, as written in the test vectors' `expect`.
    pub fn name(&self) -> &'static str {
        match self {
            Error::BadMagic => "BadMagic",
            Error::BadVersion => "BadVersion",
            Error::BadKind => "BadKind",
            Error::BadDimensions => "BadDimensions",
            Error::BadTerm => "BadTerm",
            Error::ZClipTooLarge => "ZClipTooLarge",
            Error::Truncated => "Truncated",
            Error::TrailingBytes => "TrailingBytes",
            Error::ModelDataMismatch => "ModelDataMismatch",
            Error::AccumulatorOverflow { .. } => "AccumulatorOverflow",
            Error::PredictionOverflow { .. } => "PredictionOverflow",
            Error::ScoreOverflow => "ScoreOverflow",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.name();
        match self {
            Error::BadMagic => write!(f, "{name}: wrong magic word (not a zkml-bench input, model, test set or output)"),
            Error::BadVersion => write!(f, "{name}: unsupported format version (expected 1)"),
            Error::BadKind => write!(f, "{name}: unknown model kind (expected 1 = affine or 2 = polynomial)"),
            Error::BadDimensions => write!(
                f,
                "{name}: frac_bits (1..=24), n_features (1..=64), n_terms (1..=1024) or n_samples (1..=2^24) out of range, or an affine model with n_terms != n_features or z_clip != 0"
            ),
            Error::BadTerm => write!(f, "{name}: malformed model term (degree 1..=3, feature indices < n_features and non-decreasing, unused bytes 0; affine term j is (1, j))"),
            Error::ZClipTooLarge => write!(f, "{name}: z_clip must be positive with z_clip^g <= 2^(30 + (g-1)*F) for every term degree g"),
            Error::Truncated => write!(f, "{name}: input ends before its declared content"),
            Error::TrailingBytes => write!(f, "{name}: input has data after its declared content"),
            Error::ModelDataMismatch => write!(f, "{name}: the test set's n_features or frac_bits differ from the model's"),
            Error::AccumulatorOverflow { sample } => write!(f, "{name}: i64 accumulator overflow at sample {sample}"),
            Error::PredictionOverflow { sample } => write!(f, "{name}: prediction does not fit i32 at sample {sample}"),
            Error::ScoreOverflow => write!(f, "{name}: R^2 computation overflows i128 or its result does not fit i64"),
        }
    }
}
