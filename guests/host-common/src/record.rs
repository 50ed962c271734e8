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
    /// The host's own wall time from `main` to printing this record.
    pub host_ms: f64,
    pub public_output_hex: Option<String>,
    pub public_output: Option<Value>,
    pub score: Option<Value>,
    /// The protocol's exit code for this command (0 ok, 1 failed, 2 refused or
    /// bad usage): the process's own, or under `serve` the one it would have been.
    pub exit_code: i32,
}

impl Record {
    pub fn new<Z: Zkvm>((name, sha): (&'static str, Option<&'static str>), program_id: String, dev_mode: bool) -> Self {
        Record {
            ok: false,
            error: None,
            command: name,
            zkvm: Z::NAME,
            zkvm_version: Z::VERSION,
            proof_kind: None,
            sha,
            dev_mode,
            program_id,
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
            host_ms: 0.0,
            public_output_hex: None,
            public_output: None,
            score: None,
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
