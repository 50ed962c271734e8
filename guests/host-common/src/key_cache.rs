//! An on-disk cache of a zkVM's keys for one guest program, so that a new host
//! process loads in milliseconds what its SDK takes minutes to compute (SP1's
//! verifying key: preprocessed traces and their commitment).
//!
//! An entry is named by the zkVM, its SDK version and the SHA-256 of the
//! program, so a rebuilt guest or another SDK never meets a stale key. It lives
//! in the build cache (`$ZKML_CACHE/keys`, default `~/.cache/zkml-bench/keys`)
//! and is trusted as that cache is: whoever can write there can already replace
//! the host binaries built from it. `ZKML_KEY_CACHE=off` turns it off (e.g. for
//! a verifier that wants its keys derived in its own process), and
//! `ZKML_KEY_CACHE=<dir>` puts it elsewhere. Entries are written whole (temp
//! file and rename) and carry a digest of their payload: a damaged entry is
//! regenerated, never used.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use zkml_core::{Sha256, SoftwareSha256};

const MAGIC: &[u8; 12] = b"zkml-keys-1\n";

/// Where this process's keys came from (the record's `keys` field).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// Computed by the SDK in this process (and stored, if the cache is on).
    Generated,
    /// Loaded from the cache.
    Cache,
}

impl KeySource {
    pub fn as_str(self) -> &'static str {
        match self {
            KeySource::Generated => "generated",
            KeySource::Cache => "cache",
        }
    }
}

/// The cache directory from the environment; `None` when it is turned off.
pub fn cache_dir() -> Option<PathBuf> {
    match std::env::var_os("ZKML_KEY_CACHE") {
        Some(v) if v == "off" => None,
        Some(v) if !v.is_empty() => Some(PathBuf::from(v)),
        _ => {
            let build_cache = std::env::var_os("ZKML_CACHE")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cache/zkml-bench")))?;
            Some(build_cache.join("keys"))
        }
    }
}

/// The cache file of `zkvm`'s keys for `program` under SDK `version`.
pub fn entry_path(dir: &Path, zkvm: &str, version: &str, program: &[u8]) -> PathBuf {
    dir.join(format!("{zkvm}-{version}-{}.keys", hex::encode(SoftwareSha256::digest(program))))
}

/// The keys from `path` if it holds a sound entry, else `make`'s, which are
/// then stored there. `path` None (cache off): always `make`, store nothing.
pub fn load_or_make<T>(
    path: Option<&Path>,
    encode: impl FnOnce(&T) -> Result<Vec<u8>>,
    decode: impl FnOnce(&[u8]) -> Result<T>,
    make: impl FnOnce() -> Result<T>,
) -> Result<(T, KeySource)> {
    let Some(path) = path else { return Ok((make()?, KeySource::Generated)) };
    if let Ok(bytes) = std::fs::read(path) {
        match unwrap_entry(&bytes).and_then(decode) {
            Ok(keys) => return Ok((keys, KeySource::Cache)),
            Err(err) => eprintln!("key cache: {} is unusable ({err:#}); generating the keys again", path.display()),
        }
    }
    let keys = make()?;
    // A cache that cannot be written costs time, not correctness.
    if let Err(err) = encode(&keys).and_then(|payload| store(path, &payload)) {
        eprintln!("key cache: could not store {} ({err:#})", path.display());
    }
    Ok((keys, KeySource::Generated))
}

fn unwrap_entry(bytes: &[u8]) -> Result<&[u8]> {
    let Some(rest) = bytes.strip_prefix(MAGIC.as_slice()) else { bail!("not a key-cache entry") };
    if rest.len() < 32 {
        bail!("truncated");
    }
    let (digest, payload) = rest.split_at(32);
    if SoftwareSha256::digest(payload) != digest {
        bail!("payload digest mismatch");
    }
    Ok(payload)
}

fn store(path: &Path, payload: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut entry = Vec::with_capacity(MAGIC.len() + 32 + payload.len());
    entry.extend_from_slice(MAGIC);
    entry.extend_from_slice(&SoftwareSha256::digest(payload));
    entry.extend_from_slice(payload);
    let partial = path.with_extension(format!("partial-{}", std::process::id()));
    std::fs::write(&partial, &entry)?;
    std::fs::rename(&partial, path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    fn dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("zkml-key-cache-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    /// Keys are a Vec<u8> here; `made` counts the calls of the expensive step.
    fn get(path: Option<&Path>, made: &Cell<u32>) -> (Vec<u8>, KeySource) {
        load_or_make(
            path,
            |k: &Vec<u8>| Ok(k.clone()),
            |b| Ok(b.to_vec()),
            || {
                made.set(made.get() + 1);
                Ok(b"the keys".to_vec())
            },
        )
        .unwrap()
    }

    #[test]
    fn keys_are_made_once_then_loaded() {
        let d = dir("once");
        let path = entry_path(&d, "sp1", "6.10.0", b"elf");
        let made = Cell::new(0);
        assert_eq!(get(Some(&path), &made), (b"the keys".to_vec(), KeySource::Generated));
        assert_eq!(get(Some(&path), &made), (b"the keys".to_vec(), KeySource::Cache));
        assert_eq!(made.get(), 1);
        assert!(std::fs::read_dir(&d).unwrap().all(|e| e.unwrap().path() == path), "no partial file is left");
    }

    #[test]
    fn a_damaged_entry_is_regenerated_not_used() {
        let d = dir("damaged");
        let path = entry_path(&d, "sp1", "6.10.0", b"elf");
        let made = Cell::new(0);
        get(Some(&path), &made);
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(get(Some(&path), &made).1, KeySource::Generated);
        std::fs::write(&path, &bytes[..20]).unwrap();
        assert_eq!(get(Some(&path), &made).1, KeySource::Generated);
        assert_eq!(get(Some(&path), &made).1, KeySource::Cache, "the regenerated entry is stored");
        assert_eq!(made.get(), 3);
    }

    #[test]
    fn entries_are_per_program_and_sdk_and_the_cache_can_be_off() {
        let d = dir("names");
        assert_ne!(entry_path(&d, "sp1", "6.10.0", b"elf"), entry_path(&d, "sp1", "6.10.0", b"elf2"));
        assert_ne!(entry_path(&d, "sp1", "6.10.0", b"elf"), entry_path(&d, "sp1", "6.11.0", b"elf"));
        let made = Cell::new(0);
        assert_eq!(get(None, &made).1, KeySource::Generated);
        assert_eq!(get(None, &made).1, KeySource::Generated);
        assert_eq!(made.get(), 2);
    }
}
