//! OpenVM host for the zkml-bench guest (guests/PROTOCOL.md).

use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use anyhow::{anyhow, bail, Context, Result};
use openvm_continuations::CommitBytes;
use openvm_sdk::config::{AggregationSystemParams, AppConfig};
use openvm_sdk::keygen::AppVerifyingKey;
use openvm_sdk::openvm_circuit::arch::{ContinuationVmProof, SystemConfig};
use openvm_sdk::openvm_circuit::system::memory::merkle::public_values::extract_public_values;
use openvm_sdk::prover::{verify_app_proof, AppProver};
use openvm_sdk::{DefaultStarkEngine, Sdk, StdIn, F, SC};
use openvm_sdk_config::{SdkSystemConfig, SdkVmConfig, SdkVmCpuBuilder};
use openvm_stark_backend::p3_field::{PrimeCharacteristicRing, PrimeField32};
use openvm_stark_sdk::config::baby_bear_poseidon2::Digest;
use openvm_stark_sdk::config::{app_params_with_100_bits_security, MAX_APP_LOG_STACKED_HEIGHT};
use zkml_core::PUBLIC_OUTPUT_LEN;
use zkml_host_common::{elapsed_ms, Execution, Proved, Zkvm};

/// The guest ELF, built by guests/build.sh before this host.
const GUEST_ELF: &[u8] = include_bytes!(env!("ZKML_GUEST_ELF"));
/// Pinned with `=` in Cargo.toml, so this cannot drift.
const SDK_VERSION: &str = "2.0.2";
/// OpenVM's public values are 8 × a power of two bytes; 256 hold the 168-byte
/// output, and the rest must stay zero.
const PUBLIC_VALUES: usize = 256;
/// A proof file: this magic, the proof's public values as bytes (each is one
/// field element below 256), then the proof itself (bitcode) without them. The
/// values are stored once, here, and verification runs on them.
const APP_PROOF_MAGIC: &[u8; 8] = b"ZKOVAPP1";

const EVM_WHY: &str =
    "the halo2 (KZG) wrapper needs downloaded kzg_bn254 parameter files, which cannot be fetched here";
const STARK_WHY: &str =
    "the aggregated STARK (app proof → leaf → internal recursion) is not built into this host yet: \
its keygen and proving time and memory on this 2-core, 24 GiB machine are still to be measured";

type Engine = DefaultStarkEngine;

struct OpenVm {
    app_vk: AppVerifyingKey,
    /// Commitment to the program and its initial memory: what an app proof attests it ran.
    exe_commit: Digest,
    /// Holds the app proving key and the committed program; proving needs it mutably.
    prover: Mutex<AppProver<Engine, SdkVmCpuBuilder>>,
}

impl OpenVm {
    fn new() -> Result<Self> {
        // rv32im + io + the SHA-2 extension: what the guest uses, no more (each
        // extension adds circuits to every proof).
        let vm = SdkVmConfig::builder()
            .system(SdkSystemConfig::from(SystemConfig::default().with_public_values(PUBLIC_VALUES)))
            .rv32i(Default::default())
            .rv32m(Default::default())
            .io(Default::default())
            .sha2(Default::default())
            .build()
            .optimize();
        let app = AppConfig::new(vm, app_params_with_100_bits_security(MAX_APP_LOG_STACKED_HEIGHT));
        let sdk = Sdk::new(app, AggregationSystemParams::default()).map_err(|e| anyhow!("SDK: {e}"))?;
        let exe = sdk.convert_to_exe(GUEST_ELF).map_err(|e| anyhow!("transpiling the guest ELF: {e}"))?;
        let start = Instant::now();
        let _ = sdk.app_pk();
        eprintln!("openvm setup: app keygen {:.1} s", start.elapsed().as_secs_f64());
        let start = Instant::now();
        let prover = sdk.app_prover(exe).map_err(|e| anyhow!("app prover: {e}"))?;
        let exe_commit = prover.app_exe_commit();
        eprintln!("openvm setup: program commitment {:.1} s", start.elapsed().as_secs_f64());
        let app_vk = sdk.app_vk();
        Ok(OpenVm { app_vk, exe_commit, prover: Mutex::new(prover) })
    }

    /// The guest reads two streams: the SHA mode word, then input.bin.
    fn stdin(guest_input: &[u32]) -> StdIn {
        let (mode, input) = guest_input.split_first().expect("the host always passes the SHA mode word");
        let mut stdin = StdIn::default();
        stdin.write_bytes(&mode.to_le_bytes());
        stdin.write_bytes(&input.iter().flat_map(|w| w.to_le_bytes()).collect::<Vec<u8>>());
        stdin
    }
}

/// The 168-byte output from the public values; the rest must be zero.
fn public_output(values: &[u8]) -> Result<Vec<u8>> {
    if values.len() != PUBLIC_VALUES || values[PUBLIC_OUTPUT_LEN..].iter().any(|&b| b != 0) {
        bail!("public values are not the 168-byte output followed by zeros");
    }
    Ok(values[..PUBLIC_OUTPUT_LEN].to_vec())
}

fn write_app_proof(path: &Path, mut proof: ContinuationVmProof<SC>) -> Result<()> {
    let values = std::mem::take(&mut proof.user_public_values.public_values);
    let mut bytes = APP_PROOF_MAGIC.to_vec();
    for v in values {
        bytes.push(u8::try_from(v.as_canonical_u32()).context("a public value is not a byte")?);
    }
    bytes.extend(bitcode::serialize(&proof).context("encoding the proof")?);
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

fn read_app_proof(path: &Path) -> Result<ContinuationVmProof<SC>> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let rest = bytes.strip_prefix(APP_PROOF_MAGIC.as_slice()).context("not a zkml-bench OpenVM app proof")?;
    if rest.len() < PUBLIC_VALUES {
        bail!("not a zkml-bench OpenVM app proof: truncated");
    }
    let (values, encoded) = rest.split_at(PUBLIC_VALUES);
    let mut proof: ContinuationVmProof<SC> = bitcode::deserialize(encoded).context("not an OpenVM app proof")?;
    proof.user_public_values.public_values = values.iter().map(|&b| F::from_u8(b)).collect();
    Ok(proof)
}

impl Zkvm for OpenVm {
    const NAME: &'static str = "openvm";
    const LABEL: &'static str = "OpenVM";
    const VERSION: &'static str = SDK_VERSION;
    const ISA: &'static str = "rv32im (SHA-2 extension)";
    const PROOF_KINDS: &'static [(&'static str, &'static str)] =
        &[("app", "one STARK per segment with the public values' Merkle proof, verified together; no aggregation")];
    const REFUSED_KINDS: &'static [(&'static str, &'static str)] = &[("stark", STARK_WHY), ("evm", EVM_WHY)];

    fn program_id(&self) -> String {
        CommitBytes::from(self.exe_commit).to_string()
    }

    fn dev_mode(&self) -> bool {
        false // the SDK has no mock prover
    }

    fn execute(&self, guest_input: &[u32]) -> Result<Execution> {
        // Metered execution on the prover's VM (what the SDK's execute_metered
        // does, without building and committing a new prover per call).
        let prover = self.prover.lock().map_err(|_| anyhow!("an earlier proof panicked"))?;
        let vm = prover.vm();
        let exe = prover.exe();
        let interpreter = vm.metered_interpreter(&exe).map_err(|e| anyhow!("guest program: {e}"))?;
        let (segments, state) = interpreter
            .execute_metered(Self::stdin(guest_input), vm.build_metered_ctx(&exe))
            .map_err(|e| anyhow!("guest execution failed: {e}"))?;
        let values = extract_public_values(PUBLIC_VALUES, &state.memory.memory);
        let cycles = segments.iter().map(|s| s.num_insns).sum();
        Ok(Execution {
            public_output: public_output(&values)?,
            total_cycles: cycles,
            user_cycles: cycles,
            segments: Some(segments.len() as u64),
        })
    }

    fn prove(&self, guest_input: &[u32], kind: &str, proof_path: &Path) -> Result<Proved> {
        debug_assert_eq!(kind, "app");
        // Execute first for the cycle count (proving does not return it).
        let execution = self.execute(guest_input)?;
        let start = Instant::now();
        let proof = self
            .prover
            .lock()
            .map_err(|_| anyhow!("an earlier proof panicked"))?
            .prove(Self::stdin(guest_input))
            .map_err(|e| anyhow!("proving failed: {e}"))?;
        let prove_ms = elapsed_ms(start);
        let segments = proof.per_segment.len() as u64;
        write_app_proof(proof_path, proof)?;
        Ok(Proved {
            execution: Execution { segments: Some(segments), ..execution },
            proof_kind: kind.to_string(),
            prove_ms,
            setup_ms: 0.0,
        })
    }

    fn verify(&self, proof_path: &Path) -> Result<(Vec<u8>, String)> {
        let proof = read_app_proof(proof_path)?;
        let exe_commit =
            verify_app_proof::<Engine>(&self.app_vk, &proof).map_err(|e| anyhow!("the proof does not verify: {e}"))?;
        if exe_commit != self.exe_commit {
            bail!(
                "the proof is of another program: {} (this guest is {})",
                CommitBytes::from(exe_commit),
                self.program_id()
            );
        }
        let values: Vec<u8> =
            proof.user_public_values.public_values.iter().map(|v| v.as_canonical_u32() as u8).collect();
        Ok((public_output(&values)?, "app".to_string()))
    }
}

fn main() {
    zkml_host_common::main(OpenVm::new)
}
