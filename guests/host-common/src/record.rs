//! The one JSON record a host prints (guests/PROTOCOL.md, "Output").

use std::path::Path;

use anyhow::{anyhow, Result};
use serde::Serialize;
use serde_json::{json, Value};
use zkml_core::PublicOutput;

use crate::{Execution, Zkvm};

#[derive(Serialize, Debug)]
pub struct Record {
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
    use serde_json::Value;

    use super::*;
    use crate::test_zkvm::{output, Fake};

    /// spec/host-record.schema.json, the record's one definition (shared with the TypeScript side).
    fn schema() -> Value {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/host-record.schema.json");
        serde_json::from_str(&std::fs::read_to_string(path).expect("the shared schema")).unwrap()
    }

    /// Checks `record` against the schema's subset in use: required, no other
    /// properties, and each property's `type` (one or a list) or `enum`.
    fn check(record: &Value, schema: &Value) -> Result<(), String> {
        let fields = record.as_object().ok_or("not an object")?;
        let properties = schema["properties"].as_object().unwrap();
        for name in schema["required"].as_array().unwrap() {
            if !fields.contains_key(name.as_str().unwrap()) {
                return Err(format!("missing {name}"));
            }
        }
        for (name, value) in fields {
            let rule = properties.get(name).ok_or(format!("{name} is not in the schema"))?;
            let ok = if let Some(allowed) = rule.get("enum") {
                allowed.as_array().unwrap().contains(value)
            } else {
                let types: Vec<&str> = match &rule["type"] {
                    Value::String(t) => vec![t.as_str()],
                    list => list.as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect(),
                };
                types.iter().any(|t| match *t {
                    "null" => value.is_null(),
                    "boolean" => value.is_boolean(),
                    "number" => value.is_number(),
                    "string" => value.is_string(),
                    "object" => value.is_object(),
                    other => panic!("type {other} is outside the subset this check knows"),
                })
            };
            if !ok {
                return Err(format!("{name} = {value} breaks {rule}"));
            }
        }
        Ok(())
    }

    #[test]
    fn every_record_the_host_prints_fits_the_shared_schema() {
        let schema = schema();
        let failed_setup = Record::new::<Fake>(("execute", Some("precompile")), None);
        let mut full = Record::new(("prove", Some("software")), Some(&Fake));
        full.ok = true;
        full.exit_code = 0;
        full.proof_kind = Some("core".into());
        full.set_execution(&Execution { public_output: vec![], total_cycles: 10, user_cycles: 5, segments: Some(1) });
        full.set_output(&output().to_bytes()).unwrap();
        full.prove_ms = Some(1.5);
        full.verify_ms = Some(0.5);
        for record in [&failed_setup, &full] {
            let value = serde_json::to_value(record).unwrap();
            check(&value, &schema).unwrap_or_else(|e| panic!("{e} in {value}"));
            assert_eq!(value.as_object().unwrap().len(), schema["properties"].as_object().unwrap().len());
        }
        assert_eq!(serde_json::to_value(&full).unwrap()["keys"], "cache");
        // The check itself rejects what the schema forbids.
        let mut bad = serde_json::to_value(&full).unwrap();
        bad["sha"] = "fast".into();
        assert!(check(&bad, &schema).unwrap_err().starts_with("sha"));
        bad.as_object_mut().unwrap().remove("sha");
        assert!(check(&bad, &schema).unwrap_err().contains("missing"));
    }
}
