//! Executes and proves RISC Zero guest ELFs given by path, the way
//! guests/risc0/host does (v1compat kernel, composite receipts, default
//! ProverOpts), and prints one JSON line per run.
//!
//!   stdexp-measure-risc0 execute|prove --elf LABEL=PATH... --input LABEL=PATH... [--reps N] [--sha-mode 0|1]
//!
//! An input is an input.bin; PATH with .bin replaced by .hex holds the public
//! output the TypeScript reference expects, and every run's journal must equal
//! it. Runs go rep by rep, input by input, and within that guest by guest, so
//! the guests compared are proved back to back under the same machine load.

use std::time::Instant;

use anyhow::{bail, Context, Result};
use risc0_binfmt::ProgramBinary;
use risc0_zkvm::{Digest, ExecutorEnv, ExecutorImpl, LocalProver, Prover, ProverOpts, Receipt, VerifierContext};

struct Guest {
    label: String,
    program: Vec<u8>,
    image_id: Digest,
}

struct Input {
    label: String,
    /// [SHA mode] ‖ input.bin, as the benchmark's host passes it.
    words: Vec<u32>,
    expected: Vec<u8>,
}

fn split_label(arg: &str) -> Result<(&str, &str)> {
    arg.split_once('=').with_context(|| format!("expected LABEL=PATH, got {arg}"))
}

fn load_guest(arg: &str) -> Result<Guest> {
    let (label, path) = split_label(arg)?;
    let elf = std::fs::read(path).with_context(|| format!("reading {path}"))?;
    let binary = ProgramBinary::new(&elf, risc0_zkos_v1compat::V1COMPAT_ELF);
    let image_id = binary.compute_image_id().context("computing the image ID")?;
    println!(
        r#"{{"zkvm":"risc0","guest":"{label}","elf":"{path}","elf_bytes":{},"image_id":"{image_id}"}}"#,
        elf.len()
    );
    Ok(Guest { label: label.to_string(), program: binary.encode(), image_id })
}

fn load_input(arg: &str, sha_mode: u32) -> Result<Input> {
    let (label, path) = split_label(arg)?;
    let bytes = std::fs::read(path).with_context(|| format!("reading {path}"))?;
    if bytes.len() % 4 != 0 {
        bail!("{path}: not whole words");
    }
    let hex_path = path.strip_suffix(".bin").map(|p| format!("{p}.hex")).context("an input path ends in .bin")?;
    let hex = std::fs::read_to_string(&hex_path).with_context(|| format!("reading {hex_path}"))?;
    let hex = hex.trim();
    let expected = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16))
        .collect::<Result<Vec<u8>, _>>()
        .with_context(|| format!("{hex_path}: not hex"))?;
    let mut words = vec![sha_mode];
    words.extend(bytes.chunks_exact(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])));
    Ok(Input { label: label.to_string(), words, expected })
}

fn env(input: &Input) -> Result<ExecutorEnv<'_>> {
    ExecutorEnv::builder().write_slice(&input.words).build()
}

fn check(guest: &Guest, input: &Input, journal: &[u8]) -> Result<()> {
    if journal != input.expected {
        bail!("{} on {}: the public output differs from the TypeScript reference's", guest.label, input.label);
    }
    Ok(())
}

fn execute(guest: &Guest, input: &Input, rep: u32) -> Result<()> {
    let start = Instant::now();
    let session = ExecutorImpl::from_elf(env(input)?, &guest.program)?.run().context("guest execution failed")?;
    let execute_ms = start.elapsed().as_secs_f64() * 1e3;
    let stats = session.stats();
    check(guest, input, &session.journal.context("no journal")?.bytes)?;
    println!(
        r#"{{"zkvm":"risc0","mode":"execute","guest":"{}","input":"{}","rep":{rep},"user_cycles":{},"total_cycles":{},"segments":{},"execute_ms":{execute_ms:.1},"output_ok":true}}"#,
        guest.label, input.label, stats.user_cycles, stats.total_cycles, stats.segments
    );
    Ok(())
}

/// The 1-minute load average when a proof starts: the machine is shared, so
/// every prove line says how busy it was.
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(String::from))
        .unwrap_or("null".into())
}

fn prove(guest: &Guest, input: &Input, rep: u32) -> Result<()> {
    let load = loadavg();
    let start = Instant::now();
    let info = LocalProver::new("local")
        .prove_with_opts(env(input)?, &guest.program, &ProverOpts::default())
        .context("proving failed")?;
    let prove_s = start.elapsed().as_secs_f64();
    let bytes = bincode::serialize(&info.receipt)?;
    // Verify from the serialized receipt, as a verifier would receive it.
    let start = Instant::now();
    let receipt: Receipt = bincode::deserialize(&bytes)?;
    receipt.verify_with_context(&VerifierContext::default(), guest.image_id).context("the receipt does not verify")?;
    let verify_ms = start.elapsed().as_secs_f64() * 1e3;
    check(guest, input, &receipt.journal.bytes)?;
    println!(
        r#"{{"zkvm":"risc0","mode":"prove","guest":"{}","input":"{}","rep":{rep},"user_cycles":{},"total_cycles":{},"segments":{},"prove_s":{prove_s:.2},"verify_ms":{verify_ms:.1},"proof_bytes":{},"load1":{load},"output_ok":true}}"#,
        guest.label,
        input.label,
        info.stats.user_cycles,
        info.stats.total_cycles,
        info.stats.segments,
        bytes.len()
    );
    Ok(())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map(String::as_str).unwrap_or("");
    if mode != "execute" && mode != "prove" {
        bail!("usage: stdexp-measure-risc0 execute|prove --elf LABEL=PATH... --input LABEL=PATH... [--reps N] [--sha-mode 0|1]");
    }
    if ProverOpts::default().dev_mode() {
        bail!("RISC0_DEV_MODE is set: proofs would be fake; unset it");
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
    let guests = elfs.iter().map(|a| load_guest(a)).collect::<Result<Vec<_>>>()?;
    let inputs = inputs.iter().map(|a| load_input(a, sha_mode)).collect::<Result<Vec<_>>>()?;
    for rep in 0..reps {
        for input in &inputs {
            for guest in &guests {
                match mode {
                    "execute" => execute(guest, input, rep)?,
                    _ => prove(guest, input, rep)?,
                }
            }
        }
    }
    Ok(())
}
