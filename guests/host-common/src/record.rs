//! The one JSON record a host prints (guests/PROTOCOL.md, "Output").

use std::path::Path;

use anyhow::{anyhow, Result};
use serde::Serialize;
use serde_json::{json, Value};
use zkml_core::PublicOutput;

use crate::{Execution, Zkvm};

/// The version of spec/host-record.schema.json that [`Record`] follows.
pub const RECORD_SCHEMA: u32 = 1;

/// Field for field spec/host-record.schema.json, in its order.
#[derive(Serialize, Debug)]
pub struct Record {
    /// Always [`RECORD_SCHEMA`]: a reader refuses a record of another version.
    pub schema: u32,
    pub ok: bool,
    pub error: Option<String>,
    pub command: &'static str,
    pub zkvm: &'static str,
    pub zkvm_version: &'static str,
    pub proof_kind: Option<String>,
    pub sha: Option<&'static str>,
    pub dev_mode: bool,
    pub program_id: String,
    pub input_bytes: Option<u64>,
    pub total_cycles: Option<u64>,
    pub user_cycles: Option<u64>,
    pub segments: Option<u64>,
    pub execute_ms: Option<f64>,
    pub prove_ms: Option<f64>,
    pub verify_ms: Option<f64>,
    pub proof_path: Option<String>,
    pub proof_bytes: Option<u64>,
    pub peak_rss_bytes: u64,
    /// What `peak_rss_bytes` covers: `process` (the host's whole life) or
    /// `request` (one request of `serve`, from the peak reset at its start).
    pub peak_rss_scope: &'static str,
    /// zkVM setup (program/keys, prover construction), outside the command's own timers.
    pub setup_ms: f64,
    /// Where the keys of this process's setup came from: `generated` or `cache`
    /// (`key_cache`); null for a zkVM whose setup derives no keys.
    pub keys: Option<&'static str>,
    /// The host's own wall time from `main` to printing this record.
    pub host_ms: f64,
    pub public_output_hex: Option<String>,
    pub public_output: Option<Value>,
    pub score: Option<Value>,
    /// What the proof's keys rest on, for provers with a trusted setup (EZKL's
    /// SRS); always null here: the zkVMs' STARKs have none.
    pub setup_trust: Option<Value>,
    /// The protocol's exit code for this command (0 ok, 1 failed, 2 refused or
    /// bad usage, 3 a dev-mode proof checked on request: nothing proven): the process's own, or under `serve` the one it would have been.
    pub exit_code: i32,
}

impl Record {
    /// A failed record of `command`, for `zkvm` (None when its setup failed).
    pub fn new<Z: Zkvm>((name, sha): (&'static str, Option<&'static str>), zkvm: Option<&Z>) -> Self {
        Record {
            schema: RECORD_SCHEMA,
            ok: false,
            error: None,
            command: name,
            zkvm: Z::NAME,
            zkvm_version: Z::VERSION,
            proof_kind: None,
            sha,
            dev_mode: zkvm.is_some_and(Z::dev_mode),
            program_id: zkvm.map(Z::program_id).unwrap_or_default(),
            input_bytes: None,
            total_cycles: None,
            user_cycles: None,
            segments: None,
            execute_ms: None,
            prove_ms: None,
            verify_ms: None,
            proof_path: None,
            proof_bytes: None,
            peak_rss_bytes: 0,
            peak_rss_scope: "process",
            setup_ms: 0.0,
            keys: zkvm.and_then(Z::key_source).map(crate::KeySource::as_str),
            host_ms: 0.0,
            public_output_hex: None,
            public_output: None,
            score: None,
            setup_trust: None,
            exit_code: 1,
        }
    }

    pub fn set_execution(&mut self, e: &Execution) {
        self.total_cycles = Some(e.total_cycles);
        self.user_cycles = Some(e.user_cycles);
        self.segments = e.segments;
    }

    pub fn set_proof(&mut self, path: &Path) -> Result<()> {
        self.proof_path = Some(path.display().to_string());
        self.proof_bytes = Some(std::fs::metadata(path).map_err(|e| anyhow!("proof {}: {e}", path.display()))?.len());
        Ok(())
    }

    pub fn set_output(&mut self, bytes: &[u8]) -> Result<()> {
        let o = PublicOutput::from_bytes(bytes).map_err(|e| anyhow!("public output: {e}"))?;
        let scale = f64::from(1u32 << o.frac_bits);
        self.public_output_hex = Some(hex::encode(bytes));
        self.public_output = Some(json!({
            "model_commitment": hex::encode(o.model_commitment),
            "data_commitment": hex::encode(o.data_commitment),
            "kind": o.kind,
            "frac_bits": o.frac_bits,
            "n_samples": o.n_samples,
            "n_features": o.n_features,
            "sse": o.sse.to_string(),
            "sae": o.sae.to_string(),
            "sum_y": o.sum_y.to_string(),
            "sum_y2": o.sum_y2.to_string(),
            "r2": if o.r2_is_defined() { Value::String(o.r2.to_string()) } else { Value::Null },
            "mse": o.mse.to_string(),
            "mae": o.mae.to_string(),
        }));
        self.score = Some(json!({
            "r2": if o.r2_is_defined() { json!(o.r2 as f64 / scale) } else { Value::Null },
            "mse": o.mse as f64 / scale,
            "mae": o.mae as f64 / scale,
        }));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::test_schema::{record_errors, valid_record};
    use crate::test_zkvm::{output, Fake};

    fn full() -> Record {
        let mut full = Record::new(("prove", Some("software")), Some(&Fake));
        full.ok = true;
        full.exit_code = 0;
        full.proof_kind = Some("core".into());
        full.set_execution(&Execution { public_output: vec![], total_cycles: 10, user_cycles: 5, segments: Some(1) });
        full.set_output(&output().to_bytes()).unwrap();
        full.prove_ms = Some(1.5);
        full.verify_ms = Some(0.5);
        full
    }

    #[test]
    fn a_record_with_every_field_set_fits_the_shared_schema() {
        let value = valid_record(&full());
        let printed = serde_json::to_string(&full()).unwrap();
        assert!(printed.starts_with(r#"{"schema":1,"ok":true,"#), "the version comes first: {printed}");
        assert_eq!(value["keys"], "cache");
        assert_eq!(value["score"], json!({ "r2": 0.5, "mse": 7.0 / 65536.0, "mae": 8.0 / 65536.0 }));
        let failed_setup = valid_record(&Record::new::<Fake>(("execute", Some("precompile")), None));
        assert_eq!((&failed_setup["program_id"], &failed_setup["keys"]), (&json!(""), &json!(null)));
    }

    /// The schema check is not vacuous: a record that drifts from the spec fails it.
    #[test]
    fn a_record_that_drifts_from_the_schema_is_rejected() {
        let good = serde_json::to_value(full()).unwrap();
        let drift = |change: &dyn Fn(&mut Value)| {
            let mut bad = good.clone();
            change(&mut bad);
            record_errors(&bad).join("; ")
        };
        assert!(drift(&|r| r["extra"] = json!(1)).contains("'extra' was unexpected"));
        let missing = drift(&|r| {
            r.as_object_mut().unwrap().remove("setup_trust");
        });
        assert!(missing.contains("\"setup_trust\" is a required property"), "{missing}");
        assert!(drift(&|r| r["schema"] = json!(2)).contains("1 was expected"));
        assert!(drift(&|r| r["sha"] = json!("fast")).contains("/sha"));
        assert!(drift(&|r| r["exit_code"] = json!(4)).contains("/exit_code"));
        assert!(drift(&|r| r["prove_ms"] = json!("1.5")).contains("/prove_ms"));
        assert!(!drift(&|r| r["score"]["rmse"] = json!(1.0)).is_empty(), "the score's fields are fixed too");
        let no_mae = drift(&|r| {
            r["score"].as_object_mut().unwrap().remove("mae");
        });
        assert!(!no_mae.is_empty());
    }
}
