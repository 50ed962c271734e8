//! Executes and proves OpenVM guest ELFs given by path, the way
//! guests/openvm/host does (rv32im + io + SHA-2, 256 bytes of public values,
//! segments cut at 6 GiB, app proofs), and prints one JSON line per run.
//!
//!   stdexp-measure-openvm execute|prove --elf LABEL=PATH... --input LABEL=PATH... [--reps N] [--sha-mode 0|1]
//!
//! An input is an input.bin; PATH with .bin replaced by .hex holds the public
//! output the TypeScript reference expects, and every run's public values
//! must hold it. Runs go rep by rep, input by input, and within that guest by
//! guest, so the guests compared are proved back to back under the same load.
//! A guest that fails gets a line with its error, and the runs go on.

use std::time::Instant;

use anyhow::{anyhow, bail, Context, Result};
use openvm_sdk::config::{AggregationSystemParams, AppConfig};
use openvm_sdk::keygen::AppVerifyingKey;
use openvm_sdk::openvm_circuit::arch::SystemConfig;
use openvm_sdk::openvm_circuit::system::memory::merkle::public_values::extract_public_values;
use openvm_sdk::prover::{verify_app_proof, AppProver};
use openvm_sdk::{DefaultStarkEngine, Sdk, StdIn};
use openvm_sdk_config::{SdkSystemConfig, SdkVmConfig, SdkVmCpuBuilder};
use openvm_stark_backend::p3_field::PrimeField32;
use openvm_stark_sdk::config::baby_bear_poseidon2::Digest;
use openvm_stark_sdk::config::{app_params_with_100_bits_security, MAX_APP_LOG_STACKED_HEIGHT};

/// As in guests/openvm/host.
const PUBLIC_VALUES: usize = 256;
const SEGMENT_MAX_MEMORY: usize = 6 << 30;
const PUBLIC_OUTPUT_LEN: usize = 168;

type Engine = DefaultStarkEngine;

struct Guest {
    label: String,
    prover: AppProver<Engine, SdkVmCpuBuilder>,
    exe_commit: Digest,
}

struct Input {
    label: String,
    mode: u32,
    bytes: Vec<u8>,
    expected: Vec<u8>,
}

impl Input {
    /// Two streams, as the host writes them: the SHA mode word, then input.bin.
    fn stdin(&self) -> StdIn {
        let mut stdin = StdIn::default();
        stdin.write_bytes(&self.mode.to_le_bytes());
        stdin.write_bytes(&self.bytes);
        stdin
    }
}

fn split_label(arg: &str) -> Result<(&str, &str)> {
    arg.split_once('=').with_context(|| format!("expected LABEL=PATH, got {arg}"))
}

fn sdk() -> Result<Sdk> {
    let mut system = SystemConfig::default().with_public_values(PUBLIC_VALUES);
    system.set_segmentation_max_memory(SEGMENT_MAX_MEMORY);
    let vm = SdkVmConfig::builder()
        .system(SdkSystemConfig::from(system))
        .rv32i(Default::default())
        .rv32m(Default::default())
        .io(Default::default())
        .sha2(Default::default())
        .build()
        .optimize();
    let app = AppConfig::new(vm, app_params_with_100_bits_security(MAX_APP_LOG_STACKED_HEIGHT));
    Sdk::new(app, AggregationSystemParams::default()).map_err(|e| anyhow!("SDK: {e}"))
}

fn load_guest(sdk: &Sdk, arg: &str) -> Result<Guest> {
    let (label, path) = split_label(arg)?;
    let elf = std::fs::read(path).with_context(|| format!("reading {path}"))?;
    let exe = sdk.convert_to_exe(elf.as_slice()).map_err(|e| anyhow!("transpiling {path}: {e}"))?;
    let start = Instant::now();
    let prover = sdk.app_prover(exe).map_err(|e| anyhow!("app prover: {e}"))?;
    let exe_commit = prover.app_exe_commit();
    println!(
        r#"{{"zkvm":"openvm","guest":"{label}","elf":"{path}","elf_bytes":{},"commit_s":{:.1}}}"#,
        elf.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(Guest { label: label.to_string(), prover, exe_commit })
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

/// The public values hold the expected output, then zeros.
fn check(input: &Input, values: &[u8]) -> Result<()> {
    if values.len() != PUBLIC_VALUES
        || values[..PUBLIC_OUTPUT_LEN] != input.expected[..]
        || values[PUBLIC_OUTPUT_LEN..].iter().any(|&b| b != 0)
    {
        bail!("the public output differs from the TypeScript reference's");
    }
    Ok(())
}

/// Metered execution on the prover's VM, as the host's `execute`: instructions and segments.
fn execute(guest: &Guest, input: &Input) -> Result<(u64, usize, f64)> {
    let start = Instant::now();
    let vm = guest.prover.vm();
    let exe = guest.prover.exe();
    let interpreter = vm.metered_interpreter(&exe).map_err(|e| anyhow!("guest program: {e}"))?;
    let (segments, state) = interpreter
        .execute_metered(input.stdin(), vm.build_metered_ctx(&exe))
        .map_err(|e| anyhow!("guest execution failed: {e}"))?;
    let execute_ms = start.elapsed().as_secs_f64() * 1e3;
    let values = extract_public_values(PUBLIC_VALUES, &state.memory.memory);
    check(input, &values)?;
    Ok((segments.iter().map(|s| s.num_insns).sum(), segments.len(), execute_ms))
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(String::from))
        .unwrap_or("null".into())
}

fn prove(guest: &mut Guest, app_vk: &AppVerifyingKey, input: &Input) -> Result<String> {
    let (cycles, segments, _) = execute(guest, input)?;
    let load = loadavg();
    let start = Instant::now();
    let proof = guest.prover.prove(input.stdin()).map_err(|e| anyhow!("proving failed: {e}"))?;
    let prove_s = start.elapsed().as_secs_f64();
    let proof_bytes = bitcode::serialize(&proof).context("encoding the proof")?.len();
    let start = Instant::now();
    let commit = verify_app_proof::<Engine>(app_vk, &proof).map_err(|e| anyhow!("the proof does not verify: {e}"))?;
    let verify_ms = start.elapsed().as_secs_f64() * 1e3;
    if commit != guest.exe_commit {
        bail!("the proof is of another program");
    }
    let values: Vec<u8> = proof.user_public_values.public_values.iter().map(|v| v.as_canonical_u32() as u8).collect();
    check(input, &values)?;
    Ok(format!(
        r#""user_cycles":{cycles},"segments":{segments},"proof_segments":{},"prove_s":{prove_s:.2},"verify_ms":{verify_ms:.1},"proof_bytes":{proof_bytes},"load1":{load}"#,
        proof.per_segment.len()
    ))
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map(String::as_str).unwrap_or("").to_string();
    if mode != "execute" && mode != "prove" {
        bail!("usage: stdexp-measure-openvm execute|prove --elf LABEL=PATH... --input LABEL=PATH... [--reps N] [--sha-mode 0|1]");
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
    let sdk = sdk()?;
    let start = Instant::now();
    let _ = sdk.app_pk();
    println!(r#"{{"zkvm":"openvm","app_keygen_s":{:.1}}}"#, start.elapsed().as_secs_f64());
    let app_vk = sdk.app_vk();
    let mut guests = elfs.iter().map(|a| load_guest(&sdk, a)).collect::<Result<Vec<_>>>()?;
    let inputs = inputs.iter().map(|a| load_input(a, sha_mode)).collect::<Result<Vec<_>>>()?;
    for rep in 0..reps {
        for input in &inputs {
            for guest in &mut guests {
                let result = match mode.as_str() {
                    "execute" => execute(guest, input).map(|(cycles, segments, execute_ms)| {
                        format!(r#""user_cycles":{cycles},"segments":{segments},"execute_ms":{execute_ms:.1}"#)
                    }),
                    _ => prove(guest, &app_vk, input),
                };
                let fields = match result {
                    Ok(fields) => format!(r#"{fields},"output_ok":true"#),
                    Err(e) => format!(r#""error":{:?}"#, format!("{e:#}")),
                };
                println!(
                    r#"{{"zkvm":"openvm","mode":"{mode}","guest":"{}","input":"{}","rep":{rep},{fields}}}"#,
                    guest.label, input.label
                );
            }
        }
    }
    Ok(())
}
