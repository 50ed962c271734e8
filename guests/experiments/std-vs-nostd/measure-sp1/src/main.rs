//! Executes and proves SP1 guest ELFs given by path, the way guests/sp1/host
//! does (the light prover executes and verifies, the CPU prover makes core
//! proofs), and prints one JSON line per run.
//!
//!   stdexp-measure-sp1 execute|prove --elf LABEL=PATH... --input LABEL=PATH... [--reps N] [--sha-mode 0|1]
//!
//! An input is an input.bin; PATH with .bin replaced by .hex holds the public
//! output the TypeScript reference expects, and every run's public values
//! must equal it. Runs go rep by rep, input by input, and within that guest by
//! guest, so the guests compared are proved back to back under the same load.
//! A guest that fails gets a line with its error, and the runs go on.

use std::future::IntoFuture;
use std::time::Instant;

use anyhow::{anyhow, bail, Context, Result};
use sp1_sdk::{
    CpuProver, Elf, LightProver, ProveRequest, Prover, ProverClient, ProvingKey, SP1Proof, SP1ProofWithPublicValues,
    SP1ProvingKey, SP1Stdin, SP1VerifyingKey,
};

struct Guest {
    label: String,
    elf: Elf,
    /// Derived on the first proof (minutes: SP1's preprocessed traces).
    keys: Option<(SP1ProvingKey, SP1VerifyingKey)>,
}

struct Input {
    label: String,
    mode: u32,
    bytes: Vec<u8>,
    expected: Vec<u8>,
}

impl Input {
    /// Two buffers, as the host writes them: the SHA mode word, then input.bin.
    fn stdin(&self) -> SP1Stdin {
        let mut stdin = SP1Stdin::new();
        stdin.write_slice(&self.mode.to_le_bytes());
        stdin.write_vec(self.bytes.clone());
        stdin
    }
}

struct Sp1 {
    runtime: tokio::runtime::Runtime,
    light: LightProver,
    cpu: Option<CpuProver>,
}

fn split_label(arg: &str) -> Result<(&str, &str)> {
    arg.split_once('=').with_context(|| format!("expected LABEL=PATH, got {arg}"))
}

fn load_guest(arg: &str) -> Result<Guest> {
    let (label, path) = split_label(arg)?;
    let bytes = std::fs::read(path).with_context(|| format!("reading {path}"))?;
    println!(r#"{{"zkvm":"sp1","guest":"{label}","elf":"{path}","elf_bytes":{}}}"#, bytes.len());
    Ok(Guest { label: label.to_string(), elf: Elf::from(bytes), keys: None })
}

fn load_input(arg: &str, mode: u32) -> Result<Input> {
    let (label, path) = split_label(arg)?;
    let bytes = std::fs::read(path).with_context(|| format!("reading {path}"))?;
    let hex_path = path.strip_suffix(".bin").map(|p| format!("{p}.hex")).context("an input path ends in .bin")?;
    let hex = std::fs::read_to_string(&hex_path).with_context(|| format!("reading {hex_path}"))?;
    let hex = hex.trim();
    let expected = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16))
        .collect::<Result<Vec<u8>, _>>()
        .with_context(|| format!("{hex_path}: not hex"))?;
    Ok(Input { label: label.to_string(), mode, bytes, expected })
}

fn check(input: &Input, public_values: &[u8]) -> Result<()> {
    if public_values != input.expected {
        bail!("the public output differs from the TypeScript reference's");
    }
    Ok(())
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(String::from))
        .unwrap_or("null".into())
}

impl Sp1 {
    fn execute(&self, guest: &Guest, input: &Input) -> Result<String> {
        let start = Instant::now();
        let (public_values, report) = self
            .runtime
            .block_on(self.light.execute(guest.elf.clone(), input.stdin()).into_future())
            .map_err(|e| anyhow!("guest execution failed: {e}"))?;
        let execute_ms = start.elapsed().as_secs_f64() * 1e3;
        if report.exit_code != 0 {
            bail!("guest exited with code {}", report.exit_code);
        }
        check(input, public_values.as_slice())?;
        Ok(format!(r#""user_cycles":{},"execute_ms":{execute_ms:.1}"#, report.total_instruction_count()))
    }

    fn prove(&mut self, guest: &mut Guest, input: &Input) -> Result<String> {
        let executed = self.execute(guest, input)?;
        let mut setup = String::new();
        if guest.keys.is_none() {
            let start = Instant::now();
            let pk = self.runtime.block_on(self.light.setup(guest.elf.clone())).map_err(|e| anyhow!("setup: {e}"))?;
            let vk = pk.verifying_key().clone();
            guest.keys = Some((SP1ProvingKey::new(vk.clone(), guest.elf.clone()), vk));
            setup += &format!(r#","keys_s":{:.1}"#, start.elapsed().as_secs_f64());
        }
        if self.cpu.is_none() {
            let start = Instant::now();
            self.cpu = Some(self.runtime.block_on(ProverClient::builder().cpu().build()));
            setup += &format!(r#","cpu_prover_s":{:.1}"#, start.elapsed().as_secs_f64());
        }
        let (pk, vk) = guest.keys.as_ref().expect("set above");
        let cpu = self.cpu.as_ref().expect("set above");
        let load = loadavg();
        let start = Instant::now();
        let proof = self
            .runtime
            .block_on(cpu.prove(pk, input.stdin()).core().into_future())
            .map_err(|e| anyhow!("proving failed: {e}"))?;
        let prove_s = start.elapsed().as_secs_f64();
        let shards = match &proof.proof {
            SP1Proof::Core(shards) => shards.len(),
            _ => bail!("not a core proof"),
        };
        let bytes = bincode::serialize(&proof)?;
        // Verify from the serialized proof, as a verifier would receive it.
        let start = Instant::now();
        let proof: SP1ProofWithPublicValues = bincode::deserialize(&bytes)?;
        self.light.verify(&proof, vk, None).map_err(|e| anyhow!("the proof does not verify: {e}"))?;
        let verify_ms = start.elapsed().as_secs_f64() * 1e3;
        check(input, proof.public_values.as_slice())?;
        Ok(format!(
            r#"{executed},"shards":{shards},"prove_s":{prove_s:.2},"verify_ms":{verify_ms:.1},"proof_bytes":{},"load1":{load}{setup}"#,
            bytes.len()
        ))
    }
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map(String::as_str).unwrap_or("").to_string();
    if mode != "execute" && mode != "prove" {
        bail!("usage: stdexp-measure-sp1 execute|prove --elf LABEL=PATH... --input LABEL=PATH... [--reps N] [--sha-mode 0|1]");
    }
    let (mut elfs, mut inputs, mut reps, mut sha_mode) = (Vec::new(), Vec::new(), 1u32, 0u32);
    let mut rest = args[1..].iter();
    while let Some(flag) = rest.next() {
        let value = rest.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--elf" => elfs.push(value.clone()),
            "--input" => inputs.push(value.clone()),
            "--reps" => reps = value.parse()?,
            "--sha-mode" => sha_mode = value.parse()?,
            other => bail!("unknown flag {other}"),
        }
    }
    let runtime = tokio::runtime::Runtime::new()?;
    let light = runtime.block_on(ProverClient::builder().light().build());
    let mut sp1 = Sp1 { runtime, light, cpu: None };
    let mut guests = elfs.iter().map(|a| load_guest(a)).collect::<Result<Vec<_>>>()?;
    let inputs = inputs.iter().map(|a| load_input(a, sha_mode)).collect::<Result<Vec<_>>>()?;
    for rep in 0..reps {
        for input in &inputs {
            for guest in &mut guests {
                let result = match mode.as_str() {
                    "execute" => sp1.execute(guest, input),
                    _ => sp1.prove(guest, input),
                };
                let fields = match result {
                    Ok(fields) => format!(r#"{fields},"output_ok":true"#),
                    Err(e) => format!(r#""error":{:?}"#, format!("{e:#}")),
                };
                println!(
                    r#"{{"zkvm":"sp1","mode":"{mode}","guest":"{}","input":"{}","rep":{rep},{fields}}}"#,
                    guest.label, input.label
                );
            }
        }
    }
    Ok(())
}
