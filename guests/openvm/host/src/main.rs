//! OpenVM host for the zkml-bench guest (guests/PROTOCOL.md).

use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use anyhow::{anyhow, bail, Context, Result};
use openvm_continuations::CommitBytes;
use openvm_sdk::config::{AggregationSystemParams, AppConfig};
use openvm_sdk::keygen::AppVerifyingKey;
use openvm_sdk::openvm_circuit::arch::{ContinuationVmProof, SystemConfig};
use openvm_sdk::openvm_circuit::system::memory::merkle::public_values::extract_public_values;
use openvm_sdk::prover::{verify_app_proof, AggProver, AppProver, StarkProver};
use openvm_sdk::{DefaultStarkEngine, DeferralSetup, Sdk, StdIn, F, SC};
use openvm_sdk_config::{SdkSystemConfig, SdkVmConfig, SdkVmCpuBuilder};
use openvm_stark_backend::codec::{Decode, Encode};
use openvm_stark_backend::p3_field::{PrimeCharacteristicRing, PrimeField32};
use openvm_stark_sdk::config::baby_bear_poseidon2::Digest;
use openvm_stark_sdk::config::{app_params_with_100_bits_security, MAX_APP_LOG_STACKED_HEIGHT};
use openvm_verify_stark_host::vk::VerificationBaseline;
use openvm_verify_stark_host::VmStarkProof;
use zkml_core::PUBLIC_OUTPUT_LEN;
use zkml_host_common::{elapsed_ms, require_canonical, Execution, ProofKind, Proved, Verified, Zkvm};

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
/// An aggregated STARK proof file: this magic, the public values as bytes (as
/// above), then the proof in OpenVM's own encoding without them.
const STARK_PROOF_MAGIC: &[u8; 8] = b"ZKOVSTK1";
/// Where OpenVM cuts segments: at this estimate of one segment's proving
/// memory (OpenVM's default is 15 GiB). Segments are proven one after another,
/// so it bounds the prover's peak, and the estimate is well below the real
/// peak: on a 24 GiB machine n = 20,000 (3.4 M cycles) was killed at 23 GiB
/// as one segment (15 GiB) and as two (8 GiB); at 6 GiB it is three and peaks
/// at 14.5 GiB. Below 6 GiB, n = 10,000 (1.7 M cycles, 14.3 GiB) would be cut too.
const SEGMENT_MAX_MEMORY: usize = 6 << 30;

const EVM_WHY: &str =
    "the halo2 (KZG) wrapper needs downloaded kzg_bn254 parameter files, which cannot be fetched here";

type Engine = DefaultStarkEngine;

type App = AppProver<Engine, SdkVmCpuBuilder>;

struct OpenVm {
    sdk: Sdk,
    app_vk: AppVerifyingKey,
    /// Commitment to the program and its initial memory: what a proof attests it ran.
    exe_commit: Digest,
    /// Holds the app proving key and the committed program (proving needs it
    /// mutably). None only while an aggregated proof borrows it.
    prover: Mutex<Option<App>>,
    /// What an aggregated proof is verified against: the program and every
    /// recursion layer's key commitment. Derived with the aggregation keys.
    baseline: OnceLock<VerificationBaseline>,
}

impl OpenVm {
    fn new() -> Result<Self> {
        let mut system = SystemConfig::default().with_public_values(PUBLIC_VALUES);
        system.set_segmentation_max_memory(SEGMENT_MAX_MEMORY);
        // rv32im + io + the SHA-2 extension: what the guest uses, no more (each
        // extension adds circuits to every proof).
        let vm = SdkVmConfig::builder()
            .system(SdkSystemConfig::from(system))
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
        Ok(OpenVm { sdk, app_vk, exe_commit, prover: Mutex::new(Some(prover)), baseline: OnceLock::new() })
    }

    fn app_prover(&self) -> Result<std::sync::MutexGuard<'_, Option<App>>> {
        self.prover.lock().map_err(|_| anyhow!("an earlier proof panicked"))
    }

    /// The aggregation provers (leaf, internal, internal-recursive), keyed on
    /// first use: only aggregated proofs pay for them. Returns their setup time.
    fn aggregation(&self) -> (Arc<AggProver>, f64) {
        let start = Instant::now();
        let fresh = self.baseline.get().is_none();
        let agg = self.sdk.agg_prover();
        let setup_ms = if fresh { elapsed_ms(start) } else { 0.0 };
        if fresh {
            eprintln!("openvm setup: aggregation keygen {:.1} s", setup_ms / 1e3);
        }
        (agg, setup_ms)
    }

    /// Runs `f` on a STARK prover made of this host's app prover and the
    /// aggregation provers (no second program commitment), then takes the app
    /// prover back. Also fixes the verification baseline on first use.
    fn with_stark_prover<R>(&self, f: impl FnOnce(&mut StarkProver<Engine, SdkVmCpuBuilder>) -> R) -> Result<(R, f64)> {
        let (agg_prover, setup_ms) = self.aggregation();
        let mut slot = self.app_prover()?;
        let app_prover = slot.take().context("the app prover is in use")?;
        let mut stark = StarkProver { app_prover, agg_prover, deferral_setup: DeferralSetup::Disabled };
        let result = f(&mut stark);
        let _ = self.baseline.set(stark.generate_baseline());
        *slot = Some(stark.app_prover);
        Ok((result, setup_ms))
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

/// A proof file's header and public values (each value is one field element below 256).
fn proof_file(magic: &[u8; 8], values: Vec<F>, encoded: Vec<u8>) -> Result<Vec<u8>> {
    let mut bytes = magic.to_vec();
    for v in values {
        bytes.push(u8::try_from(v.as_canonical_u32()).context("a public value is not a byte")?);
    }
    bytes.extend(encoded);
    Ok(bytes)
}

enum ProofFile {
    App(ContinuationVmProof<SC>),
    /// Boxed: the aggregated proof's struct is several times the app proof's.
    Stark(Box<VmStarkProof>),
}

fn write_proof(path: &Path, proof: ProofFile) -> Result<()> {
    let bytes = match proof {
        ProofFile::App(mut proof) => {
            let values = std::mem::take(&mut proof.user_public_values.public_values);
            proof_file(APP_PROOF_MAGIC, values, bitcode::serialize(&proof).context("encoding the proof")?)?
        }
        ProofFile::Stark(mut proof) => {
            let values = std::mem::take(&mut proof.user_pvs_proof.public_values);
            let mut encoded = Vec::new();
            proof.encode(&mut encoded).context("encoding the proof")?;
            proof_file(STARK_PROOF_MAGIC, values, encoded)?
        }
    };
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

/// Reads a proof file written by `write_proof`, and nothing else: the encoded
/// proof must be exactly the canonical encoding of the proof it decodes to.
fn read_proof(path: &Path) -> Result<ProofFile> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let (magic, rest) = bytes.split_at_checked(8).context("not a zkml-bench OpenVM proof: too short")?;
    if rest.len() < PUBLIC_VALUES {
        bail!("not a zkml-bench OpenVM proof: truncated");
    }
    let (values, encoded) = rest.split_at(PUBLIC_VALUES);
    let values: Vec<F> = values.iter().map(|&b| F::from_u8(b)).collect();
    if magic == APP_PROOF_MAGIC {
        // bitcode decodes a value only from exactly its own bytes (it checks for
        // trailing ones itself), but a release build's error says no more than that.
        let mut proof: ContinuationVmProof<SC> = bitcode::deserialize(encoded).map_err(|e| {
            anyhow!(
                "not an OpenVM app proof: {e} (bitcode decodes a proof only from exactly its bytes: the file is \
                 damaged, has bytes after the proof, or is not one)"
            )
        })?;
        let again = bitcode::serialize(&proof).context("encoding the proof again")?;
        require_canonical(encoded, &again, "OpenVM app proof")?;
        proof.user_public_values.public_values = values;
        Ok(ProofFile::App(proof))
    } else if magic == STARK_PROOF_MAGIC {
        let mut reader = encoded;
        let mut proof = VmStarkProof::decode(&mut reader).context("not an OpenVM aggregated STARK proof")?;
        let mut again = Vec::with_capacity(encoded.len());
        proof.encode(&mut again).context("encoding the proof again")?;
        require_canonical(encoded, &again, "OpenVM aggregated STARK proof")?;
        proof.user_pvs_proof.public_values = values;
        Ok(ProofFile::Stark(Box::new(proof)))
    } else {
        bail!("not a zkml-bench OpenVM proof (unknown header)")
    }
}

fn public_bytes(values: &[F]) -> Vec<u8> {
    values.iter().map(|v| v.as_canonical_u32() as u8).collect()
}

impl Zkvm for OpenVm {
    const NAME: &'static str = "openvm";
    const LABEL: &'static str = "OpenVM";
    const VERSION: &'static str = SDK_VERSION;
    const ISA: &'static str = "rv32im (SHA-2 extension)";
    const PROOF_KINDS: &'static [ProofKind] = &[
        ProofKind {
            kind: "app",
            what: "one STARK per segment with the public values' Merkle proof, verified together; no aggregation",
            claim: true,
        },
        // Not a claim kind: the paper's sweep leaves the aggregation (its keys and
        // recursion) to sweeps of every kind (the `full` preset).
        ProofKind {
            kind: "stark",
            what: "the app proofs aggregated by leaf and internal recursion into one STARK of constant size",
            claim: false,
        },
    ];
    const REFUSED_KINDS: &'static [(&'static str, &'static str)] = &[("evm", EVM_WHY)];

    fn program_id(&self) -> String {
        CommitBytes::from(self.exe_commit).to_string()
    }

    fn dev_mode(&self) -> bool {
        false // the SDK has no mock prover
    }

    fn execute(&self, guest_input: &[u32]) -> Result<Execution> {
        // Metered execution on the prover's VM (what the SDK's execute_metered
        // does, without building and committing a new prover per call).
        let slot = self.app_prover()?;
        let prover = slot.as_ref().context("the app prover is in use")?;
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
        // Execute first for the cycle count (proving does not return it).
        let execution = self.execute(guest_input)?;
        let (proof, segments, prove_ms, setup_ms) = match kind {
            "app" => {
                let start = Instant::now();
                let mut slot = self.app_prover()?;
                let prover = slot.as_mut().context("the app prover is in use")?;
                let proof = prover.prove(Self::stdin(guest_input)).map_err(|e| anyhow!("proving failed: {e}"))?;
                let segments = proof.per_segment.len() as u64;
                (ProofFile::App(proof), segments, elapsed_ms(start), 0.0)
            }
            "stark" => {
                let ((proof, prove_ms), setup_ms) = self.with_stark_prover(|stark| {
                    let start = Instant::now();
                    let proof = stark.prove(Self::stdin(guest_input), &[]);
                    (proof, elapsed_ms(start))
                })?;
                let (proof, _) = proof.map_err(|e| anyhow!("proving failed: {e}"))?;
                (ProofFile::Stark(Box::new(proof)), execution.segments.unwrap_or(0), prove_ms, setup_ms)
            }
            other => bail!("unknown proof kind {other}"),
        };
        write_proof(proof_path, proof)?;
        Ok(Proved {
            execution: Execution { segments: Some(segments), ..execution },
            proof_kind: kind.to_string(),
            prove_ms,
            setup_ms,
        })
    }

    fn prepare_verify(&self, proof_path: &Path) -> Result<f64> {
        // The file's magic says its kind; only a STARK proof needs the aggregation keys.
        let mut header = Vec::with_capacity(STARK_PROOF_MAGIC.len());
        std::fs::File::open(proof_path)
            .and_then(|file| file.take(STARK_PROOF_MAGIC.len() as u64).read_to_end(&mut header))
            .with_context(|| format!("reading {}", proof_path.display()))?;
        if header == STARK_PROOF_MAGIC && self.baseline.get().is_none() {
            return Ok(self.with_stark_prover(|_| ())?.1);
        }
        Ok(0.0)
    }

    fn verify(&self, proof_path: &Path, _allow_dev_mode: bool) -> Result<Verified> {
        // No dev mode to allow: the SDK has no mock prover.
        let (public_output, kind) = match read_proof(proof_path)? {
            ProofFile::App(proof) => {
                let exe_commit = verify_app_proof::<Engine>(&self.app_vk, &proof)
                    .map_err(|e| anyhow!("the proof does not verify: {e}"))?;
                if exe_commit != self.exe_commit {
                    bail!(
                        "the proof is of another program: {} (this guest is {})",
                        CommitBytes::from(exe_commit),
                        self.program_id()
                    );
                }
                (public_output(&public_bytes(&proof.user_public_values.public_values))?, "app")
            }
            ProofFile::Stark(proof) => {
                // The baseline holds this guest's exe commitment, so a proof of
                // another program fails here too.
                if self.baseline.get().is_none() {
                    self.prepare_verify(proof_path)?;
                }
                let baseline = self.baseline.get().context("no verification baseline")?.clone();
                let agg_vk = self.sdk.agg_vk().as_ref().clone();
                Sdk::verify_proof(agg_vk, baseline, &proof).map_err(|e| anyhow!("the proof does not verify: {e}"))?;
                (public_output(&public_bytes(&proof.user_pvs_proof.public_values))?, "stark")
            }
        };
        Ok(Verified { public_output, proof_kind: kind.to_string(), dev_mode: false })
    }
}

fn main() {
    zkml_host_common::main(OpenVm::new)
}
