//! SP1 host for the zkml-bench guest (guests/PROTOCOL.md).

use std::future::IntoFuture;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Instant;

use anyhow::{anyhow, bail, Context, Result};
use sp1_sdk::{
    CpuProver, Elf, HashableKey, LightProver, ProveRequest, Prover, ProverClient, ProvingKey, SP1Proof,
    SP1ProofWithPublicValues, SP1ProvingKey, SP1Stdin, SP1VerifyingKey,
};
use zkml_host_common::{
    elapsed_ms, key_cache, require_canonical, Execution, KeySource, ProofKind, Proved, Verified, Zkvm,
};

/// The guest ELF, built by guests/build.sh before this host.
const GUEST_ELF: &[u8] = include_bytes!(env!("ZKML_GUEST_ELF"));
/// Pinned with `=` in Cargo.toml, so this cannot drift.
const SDK_VERSION: &str = "6.10.0";

const WRAP_WHY: &str = "Groth16/PLONK wrapping needs circuit artifacts downloaded from S3 (or docker), \
neither of which is reachable here; see environment.md";

struct Sp1 {
    runtime: tokio::runtime::Runtime,
    /// Executes and verifies (real verification); starts in seconds, unlike the
    /// CPU prover, which takes minutes to initialize and is built only to prove.
    light: LightProver,
    elf: Elf,
    pk: SP1ProvingKey,
    vk: SP1VerifyingKey,
    keys: KeySource,
    /// Built on the first proof only (about a minute), then kept: a `serve`
    /// process pays for it once.
    cpu: OnceLock<CpuProver>,
}

impl Sp1 {
    fn new() -> Result<Self> {
        let runtime = tokio::runtime::Runtime::new()?;
        let elf = Elf::from(GUEST_ELF.to_vec());
        let light = runtime.block_on(ProverClient::builder().light().build());
        // The verifying key (preprocessed traces and their commitment) takes
        // minutes to derive and depends only on the ELF: cached on disk. The
        // CPU prover reads only the ELF from the proving key.
        let cached = key_cache::cache_dir().map(|dir| key_cache::entry_path(&dir, "sp1", SDK_VERSION, GUEST_ELF));
        let (vk, keys) = key_cache::load_or_make(
            cached.as_deref(),
            |vk: &SP1VerifyingKey| Ok(bincode::serialize(vk)?),
            |bytes| Ok(bincode::deserialize(bytes)?),
            || {
                let pk = runtime.block_on(light.setup(elf.clone())).map_err(|e| anyhow!("setup: {e}"))?;
                Ok(pk.verifying_key().clone())
            },
        )?;
        let pk = SP1ProvingKey::new(vk.clone(), elf.clone());
        Ok(Sp1 { runtime, light, elf, pk, vk, keys, cpu: OnceLock::new() })
    }

    /// The guest reads two buffers: the SHA mode word, then input.bin.
    fn stdin(guest_input: &[u32]) -> SP1Stdin {
        let (mode, input) = guest_input.split_first().expect("the host always passes the SHA mode word");
        let mut stdin = SP1Stdin::new();
        stdin.write_slice(&mode.to_le_bytes());
        stdin.write_vec(input.iter().flat_map(|w| w.to_le_bytes()).collect());
        stdin
    }
}

fn kind_of(proof: &SP1Proof) -> &'static str {
    match proof {
        SP1Proof::Core(_) => "core",
        SP1Proof::Compressed(_) => "compressed",
        SP1Proof::Plonk(_) => "plonk",
        SP1Proof::Groth16(_) => "groth16",
        #[allow(unreachable_patterns)]
        _ => "other",
    }
}

impl Zkvm for Sp1 {
    const NAME: &'static str = "sp1";
    const LABEL: &'static str = "SP1";
    const VERSION: &'static str = SDK_VERSION;
    const ISA: &'static str = "rv64im (SHA-256 extend/compress precompiles)";
    const PROOF_KINDS: &'static [ProofKind] = &[
        ProofKind { kind: "core", what: "one STARK per shard, verified together; no recursion", claim: true },
        // Not a claim kind on the paper's 60-minute budget: its claim is the core
        // proof's run again plus about 190 s of recursion on 2 cores (360 s in all,
        // docs/results-by-prover.md); `--preset full` proves it (kinds "all").
        ProofKind {
            kind: "compressed",
            what: "the shard proofs recursively folded into one constant-size STARK",
            claim: false,
        },
    ];
    const REFUSED_KINDS: &'static [(&'static str, &'static str)] = &[("groth16", WRAP_WHY), ("plonk", WRAP_WHY)];

    fn program_id(&self) -> String {
        self.vk.bytes32()
    }

    fn dev_mode(&self) -> bool {
        false // this host only builds the CPU prover; the mock prover is never used
    }

    fn key_source(&self) -> Option<KeySource> {
        Some(self.keys)
    }

    fn execute(&self, guest_input: &[u32]) -> Result<Execution> {
        let (public_values, report) = self
            .runtime
            .block_on(self.light.execute(self.elf.clone(), Self::stdin(guest_input)).into_future())
            .map_err(|e| anyhow!("guest execution failed: {e}"))?;
        if report.exit_code != 0 {
            bail!("guest exited with code {}", report.exit_code);
        }
        let cycles = report.total_instruction_count();
        Ok(Execution {
            public_output: public_values.to_vec(),
            total_cycles: cycles,
            user_cycles: cycles,
            segments: None,
        })
    }

    fn prove(&self, guest_input: &[u32], kind: &str, proof_path: &Path) -> Result<Proved> {
        // Execute first for the cycle count (proving does not return it).
        let execution = self.execute(guest_input)?;
        let setup = Instant::now();
        let cpu = self.cpu.get_or_init(|| self.runtime.block_on(ProverClient::builder().cpu().build()));
        let setup_ms = elapsed_ms(setup);
        let request = cpu.prove(&self.pk, Self::stdin(guest_input));
        let start = Instant::now();
        let proof = match kind {
            "core" => self.runtime.block_on(request.core().into_future()),
            "compressed" => self.runtime.block_on(request.compressed().into_future()),
            other => bail!("unsupported proof kind {other}"),
        }
        .map_err(|e| anyhow!("proving failed: {e}"))?;
        let prove_ms = elapsed_ms(start);
        let shards = match &proof.proof {
            SP1Proof::Core(shards) => Some(shards.len() as u64),
            _ => None,
        };
        std::fs::write(proof_path, bincode::serialize(&proof)?)
            .with_context(|| format!("writing {}", proof_path.display()))?;
        Ok(Proved {
            execution: Execution { public_output: proof.public_values.to_vec(), segments: shards, ..execution },
            proof_kind: kind.to_string(),
            prove_ms,
            setup_ms,
        })
    }

    fn verify(&self, proof_path: &Path, _allow_dev_mode: bool) -> Result<Verified> {
        // No dev mode to allow: the light prover verifies real proofs only (a
        // mock proof fails its check like any other invalid proof).
        let bytes = std::fs::read(proof_path).with_context(|| format!("reading {}", proof_path.display()))?;
        let proof: SP1ProofWithPublicValues = bincode::deserialize(&bytes).context("not an SP1 proof")?;
        require_canonical(&bytes, &bincode::serialize(&proof)?, "SP1 proof")?;
        self.light
            .verify(&proof, &self.vk, None)
            .map_err(|e| anyhow!("the proof does not verify against this guest's verifying key: {e}"))?;
        Ok(Verified {
            public_output: proof.public_values.to_vec(),
            proof_kind: kind_of(&proof.proof).to_string(),
            dev_mode: false,
        })
    }
}

fn main() {
    zkml_host_common::main(Sp1::new)
}
