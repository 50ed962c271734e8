//! The 168-byte public output (journal / public values), spec: "Public output".

use crate::error::Error;
use crate::format::{ModelKind, FORMAT_VERSION};

/// Public output magic, bytes `ZOUT`.
pub const OUTPUT_MAGIC: u32 = 0x5455_4F5A;
/// Length of the public output in bytes.
pub const PUBLIC_OUTPUT_LEN: usize = 168;
/// `r2` when R² is undefined (the targets have zero variance).
pub const R2_UNDEFINED: i64 = i64::MIN;

/// What a guest commits: the two commitments, the shapes and the score.
/// Fixed-point fields are `Q(frac_bits)` (`sse`, `sum_y2`: `Q(2·frac_bits)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PublicOutput {
    /// SHA-256 of the model section.
    pub model_commitment: [u8; 32],
    /// SHA-256 of the test-set section.
    pub data_commitment: [u8; 32],
    /// Model kind word (1 = affine, 2 = polynomial).
    pub kind: u32,
    /// `F`.
    pub frac_bits: u32,
    /// `n`.
    pub n_samples: u32,
    /// `d`.
    pub n_features: u32,
    /// `Σ e²`, `Q(2F)`.
    pub sse: u128,
    /// `Σ |e|`, `Q(F)`.
    pub sae: u128,
    /// `Σ y`, `Q(F)`.
    pub sum_y: i64,
    /// `Σ y²`, `Q(2F)`.
    pub sum_y2: u128,
    /// R², `Q(F)`, or [`R2_UNDEFINED`].
    pub r2: i64,
    /// Mean squared error, `Q(F)`.
    pub mse: u64,
    /// Mean absolute error, `Q(F)`.
    pub mae: u64,
}

impl PublicOutput {
    /// The 168 little-endian bytes, in the spec's layout.
    pub fn to_bytes(&self) -> [u8; PUBLIC_OUTPUT_LEN] {
        let mut out = [0u8; PUBLIC_OUTPUT_LEN];
        let mut at = 0;
        let mut put = |bytes: &[u8]| {
            out[at..at + bytes.len()].copy_from_slice(bytes);
            at += bytes.len();
        };
        put(&OUTPUT_MAGIC.to_le_bytes());
        put(&FORMAT_VERSION.to_le_bytes());
        put(&self.model_commitment);
        put(&self.data_commitment);
        put(&self.kind.to_le_bytes());
        put(&self.frac_bits.to_le_bytes());
        put(&self.n_samples.to_le_bytes());
        put(&self.n_features.to_le_bytes());
        put(&self.sse.to_le_bytes());
        put(&self.sae.to_le_bytes());
        put(&self.sum_y.to_le_bytes());
        put(&self.sum_y2.to_le_bytes());
        put(&self.r2.to_le_bytes());
        put(&self.mse.to_le_bytes());
        put(&self.mae.to_le_bytes());
        debug_assert_eq!(at, PUBLIC_OUTPUT_LEN);
        out
    }

    /// Parses exactly 168 bytes (`Truncated` / `TrailingBytes` otherwise),
    /// checking the magic, the version and the kind.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.len() < PUBLIC_OUTPUT_LEN {
            return Err(Error::Truncated);
        }
        if bytes.len() > PUBLIC_OUTPUT_LEN {
            return Err(Error::TrailingBytes);
        }
        let mut rest = bytes;
        let mut take = |len: usize| {
            let (head, tail) = rest.split_at(len);
            rest = tail;
            head
        };
        if u32::from_le_bytes(array(take(4))) != OUTPUT_MAGIC {
            return Err(Error::BadMagic);
        }
        if u32::from_le_bytes(array(take(4))) != FORMAT_VERSION {
            return Err(Error::BadVersion);
        }
        let output = PublicOutput {
            model_commitment: array(take(32)),
            data_commitment: array(take(32)),
            kind: u32::from_le_bytes(array(take(4))),
            frac_bits: u32::from_le_bytes(array(take(4))),
            n_samples: u32::from_le_bytes(array(take(4))),
            n_features: u32::from_le_bytes(array(take(4))),
            sse: u128::from_le_bytes(array(take(16))),
            sae: u128::from_le_bytes(array(take(16))),
            sum_y: i64::from_le_bytes(array(take(8))),
            sum_y2: u128::from_le_bytes(array(take(16))),
            r2: i64::from_le_bytes(array(take(8))),
            mse: u64::from_le_bytes(array(take(8))),
            mae: u64::from_le_bytes(array(take(8))),
        };
        if ModelKind::from_word(output.kind).is_none() {
            return Err(Error::BadKind);
        }
        Ok(output)
    }

    /// Whether R² is defined (the targets are not all equal).
    pub fn r2_is_defined(&self) -> bool {
        self.r2 != R2_UNDEFINED
    }
}

/// A slice of known length as an array (the lengths above are constants).
fn array<const N: usize>(bytes: &[u8]) -> [u8; N] {
    bytes.try_into().expect("length fixed by the layout")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_output() -> PublicOutput {
        PublicOutput {
            model_commitment: core::array::from_fn(|i| i as u8),
            data_commitment: core::array::from_fn(|i| 0xA0 + i as u8),
            kind: 2,
            frac_bits: 16,
            n_samples: 1000,
            n_features: 7,
            sse: 0x0102_0304_0506_0708_090A_0B0C_0D0E_0F10,
            sae: u128::MAX - 5,
            sum_y: -123_456_789_012,
            sum_y2: 1 << 100,
            r2: -42,
            mse: u64::MAX,
            mae: 77,
        }
    }

    #[test]
    fn round_trip() {
        let output = sample_output();
        let bytes = output.to_bytes();
        assert_eq!(PublicOutput::from_bytes(&bytes), Ok(output));
    }

    #[test]
    fn layout_offsets() {
        let output = sample_output();
        let bytes = output.to_bytes();
        assert_eq!(bytes[0..4], *b"ZOUT");
        assert_eq!(bytes[4..8], 1u32.to_le_bytes());
        assert_eq!(bytes[8..40], output.model_commitment);
        assert_eq!(bytes[40..72], output.data_commitment);
        assert_eq!(bytes[72..76], 2u32.to_le_bytes());
        assert_eq!(bytes[76..80], 16u32.to_le_bytes());
        assert_eq!(bytes[80..84], 1000u32.to_le_bytes());
        assert_eq!(bytes[84..88], 7u32.to_le_bytes());
        assert_eq!(bytes[88..104], output.sse.to_le_bytes());
        assert_eq!(bytes[104..120], output.sae.to_le_bytes());
        assert_eq!(bytes[120..128], output.sum_y.to_le_bytes());
        assert_eq!(bytes[128..144], output.sum_y2.to_le_bytes());
        assert_eq!(bytes[144..152], output.r2.to_le_bytes());
        assert_eq!(bytes[152..160], output.mse.to_le_bytes());
        assert_eq!(bytes[160..168], output.mae.to_le_bytes());
    }

    #[test]
    fn from_bytes_rejects_bad_framing() {
        let bytes = sample_output().to_bytes();
        assert_eq!(PublicOutput::from_bytes(&bytes[..167]), Err(Error::Truncated));
        assert_eq!(PublicOutput::from_bytes(&[]), Err(Error::Truncated));
        let mut longer = [0u8; 169];
        longer[..168].copy_from_slice(&bytes);
        assert_eq!(PublicOutput::from_bytes(&longer), Err(Error::TrailingBytes));
        let mut bad_magic = bytes;
        bad_magic[0] ^= 1;
        assert_eq!(PublicOutput::from_bytes(&bad_magic), Err(Error::BadMagic));
        let mut bad_version = bytes;
        bad_version[4] = 2;
        assert_eq!(PublicOutput::from_bytes(&bad_version), Err(Error::BadVersion));
        let mut bad_kind = bytes;
        bad_kind[72] = 3;
        assert_eq!(PublicOutput::from_bytes(&bad_kind), Err(Error::BadKind));
    }
}
