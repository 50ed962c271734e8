//! `<host> info`: the host's description of itself (spec/host-info.schema.json),
//! so that the driver keeps no copy of it, and the probe of how the binary was
//! built.

use crate::Zkvm;

/// The version of spec/host-info.schema.json that `info` follows.
pub const INFO_SCHEMA: u32 = 1;

/// What `<host> info` prints, from the zkVM's constants and this build's flags.
pub fn info<Z: Zkvm>() -> serde_json::Value {
    let refused: Vec<serde_json::Value> =
        Z::REFUSED_KINDS.iter().map(|(kind, why)| serde_json::json!({ "kind": kind, "why": why })).collect();
    serde_json::json!({
        "schema": INFO_SCHEMA,
        "zkvm": Z::NAME,
        "label": Z::LABEL,
        "zkvm_version": Z::VERSION,
        "isa": Z::ISA,
        "proof_kinds": Z::PROOF_KINDS,
        "refused_kinds": refused,
        // Every zkVM guest runs zkml-core, which commits to the SHA-256 of
        // model.bin and testset.bin (spec/FORMAT.md).
        "commitment_scheme": "sha256",
        // The guest evaluates every model kind of spec/FORMAT.md.
        "refused_model_kinds": [],
        // `verify` takes the protocol's flags and no others.
        "verify_options": [],
        // No memory bound is stated: how far a zkVM proves on a machine is
        // measured by the sweeps (docs/results-by-prover.md), not predicted.
        "prove_memory": null,
        "build": build_flags(env!("ZKML_HOST_RUSTFLAGS")),
    })
}

/// How this binary was compiled: its rustflags, the `-C target-cpu` among them
/// (null: the target's baseline, portable to any CPU of the architecture), and
/// the SIMD and crypto features the compiler could assume.
fn build_flags(rustflags: &str) -> serde_json::Value {
    let words: Vec<&str> = rustflags.split_whitespace().collect();
    let target_cpu = words.iter().enumerate().find_map(|(i, w)| {
        let value = w.strip_prefix("-C").map(str::trim_start).unwrap_or(w);
        let value = if value.is_empty() { words.get(i + 1).copied().unwrap_or("") } else { value };
        value.strip_prefix("target-cpu=")
    });
    let mut features = Vec::new();
    macro_rules! probe {
        ($($feature:literal),*) => { $( if cfg!(target_feature = $feature) { features.push($feature); } )* };
    }
    probe!("sse4.2", "avx", "avx2", "fma", "bmi2", "adx", "avx512f", "avx512ifma", "sha", "neon", "aes", "sha2");
    serde_json::json!({ "rustflags": rustflags, "target_cpu": target_cpu, "target_features": features })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::test_schema::{info_errors, valid_info};
    use crate::test_zkvm::Fake;

    #[test]
    fn build_flags_name_the_target_cpu_in_either_spelling() {
        let cpu = |flags: &str| build_flags(flags)["target_cpu"].clone();
        assert_eq!(cpu("-C link-arg=-fuse-ld=mold -C target-cpu=native"), "native");
        assert_eq!(cpu("-Ctarget-cpu=x86-64-v3"), "x86-64-v3");
        assert_eq!(cpu("-C link-arg=-fuse-ld=mold"), serde_json::Value::Null);
        assert_eq!(cpu(""), serde_json::Value::Null);
        assert_eq!(build_flags("-C opt-level=3")["rustflags"], "-C opt-level=3");
    }

    #[test]
    fn info_describes_the_host_from_its_constants() {
        let info = valid_info(info::<Fake>());
        assert_eq!(info["schema"], 1);
        assert_eq!(info["zkvm"], "fake");
        assert_eq!(info["label"], "Fake");
        assert_eq!(info["isa"], "none");
        assert_eq!(info["proof_kinds"][0], json!({ "kind": "core", "what": "one proof per shard", "claim": true }));
        assert_eq!(info["proof_kinds"][1]["claim"], false);
        assert_eq!(info["proof_kinds"].as_array().unwrap().len(), 2);
        assert_eq!(info["refused_kinds"][0], json!({ "kind": "groth16", "why": "needs a download" }));
        assert_eq!(info["commitment_scheme"], "sha256");
        assert_eq!((&info["refused_model_kinds"], &info["verify_options"]), (&json!([]), &json!([])));
        assert!(info["prove_memory"].is_null());
        assert!(info["build"]["target_features"].is_array());
    }

    /// The schema check is not vacuous: what drifts from the spec fails it.
    #[test]
    fn info_that_drifts_from_the_schema_is_rejected() {
        let good = info::<Fake>();
        let drift = |change: &dyn Fn(&mut serde_json::Value)| {
            let mut bad = good.clone();
            change(&mut bad);
            info_errors(&bad).join("; ")
        };
        assert!(drift(&|i| i["extra"] = json!(1)).contains("'extra' was unexpected"));
        let missing = drift(&|i| {
            i.as_object_mut().unwrap().remove("commitment_scheme");
        });
        assert!(missing.contains("\"commitment_scheme\" is a required property"), "{missing}");
        let no_claim = drift(&|i| {
            i["proof_kinds"][0].as_object_mut().unwrap().remove("claim");
        });
        assert!(no_claim.contains("\"claim\" is a required property"), "{no_claim}");
        assert!(drift(&|i| i["proof_kinds"][0]["claim"] = json!("yes")).contains("is not of type \"boolean\""));
        assert!(drift(&|i| i["schema"] = json!(2)).contains("1 was expected"));
        assert!(drift(&|i| i["build"]["cpu"] = json!("x")).contains("'cpu' was unexpected"));
    }
}
