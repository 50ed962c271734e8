//! The part of a zkml-bench host that does not depend on the zkVM: the command
//! line and JSON record of `guests/PROTOCOL.md`, reading and pre-checking the
//! input, the verifier's commitment checks, and the cross-check of every guest
//! output against the native core (the same code the TypeScript reference is
//! tested against). A host implements [`Zkvm`] and calls [`main`].

mod cli;
pub mod key_cache;
mod record;
#[cfg(test)]
mod test_schema;
#[cfg(test)]
mod test_zkvm;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{anyhow, bail, Context, Result};
pub use cli::{Cli, Command, ShaMode};
pub use key_cache::KeySource;
pub use record::{Record, RECORD_SCHEMA};
use zkml_core::{evaluate, PublicOutput, SoftwareSha256};

/// Counts from executing the guest.
#[derive(Debug, Default, Clone)]
pub struct Execution {
    pub public_output: Vec<u8>,
    pub total_cycles: u64,
    pub user_cycles: u64,
    /// RISC Zero segments / SP1 shards, where the zkVM reports them.
    pub segments: Option<u64>,
}

/// What proving produced (the proof is already written to the proof path).
#[derive(Debug, Clone)]
pub struct Proved {
    pub execution: Execution,
    pub proof_kind: String,
    /// Wall time of the proving call alone (not setup, not a separate execution).
    pub prove_ms: f64,
    /// Prover setup done inside `prove` before its timer (e.g. building SP1's CPU prover).
    pub setup_ms: f64,
}

/// What verifying a proof file established.
#[derive(Debug, Clone)]
pub struct Verified {
    pub public_output: Vec<u8>,
    pub proof_kind: String,
    /// A dev-mode (fake) proof, accepted only because the caller allowed it:
    /// it proves nothing.
    pub dev_mode: bool,
}

/// A proof kind a host makes, as `info` lists it (spec/host-info.schema.json).
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct ProofKind {
    /// The name `prove --kind` takes.
    pub kind: &'static str,
    /// What such a proof is.
    pub what: &'static str,
    /// Whether a sweep that asks for the claim kinds proves a claim as this
    /// kind: the default kind, and a constant-size kind worth its proving time
    /// on the paper's 2-core budget.
    pub claim: bool,
}

/// One zkVM: how to execute, prove and verify the zkml-bench guest. The
/// constants are what `<host> info` prints (guests/PROTOCOL.md).
pub trait Zkvm {
    /// The zkVM's id: `risc0`, `sp1` (the folder under guests/).
    const NAME: &'static str;
    /// Display name: `RISC Zero`, `SP1`.
    const LABEL: &'static str;
    /// SDK crate version the host is built against.
    const VERSION: &'static str;
    /// The guest's instruction set, with the zkVM's extensions where they matter.
    const ISA: &'static str;
    /// Proof kinds this host produces; the first is the default.
    const PROOF_KINDS: &'static [ProofKind];
    /// Kinds the zkVM has but that cannot be produced here, with the reason.
    const REFUSED_KINDS: &'static [(&'static str, &'static str)];

    /// The guest's program id (RISC Zero image ID, SP1 verifying-key hash), hex.
    fn program_id(&self) -> String;
    /// True when the zkVM's dev/mock mode is on: proofs are then fake.
    fn dev_mode(&self) -> bool;
    /// Where this process's proving/verifying keys came from, for zkVMs whose
    /// setup derives keys (`key_cache`); None where setup has no keys to speak of.
    fn key_source(&self) -> Option<KeySource> {
        None
    }
    /// Run the guest without proving; the input is `[sha mode word] ‖ input words`.
    fn execute(&self, guest_input: &[u32]) -> Result<Execution>;
    /// Prove, writing the proof to `proof_path`.
    fn prove(&self, guest_input: &[u32], kind: &str, proof_path: &Path) -> Result<Proved>;
    /// Verify a proof file against this guest. The file must be exactly the
    /// canonical encoding of one proof ([`require_canonical`]). A dev-mode
    /// (fake) proof is rejected unless `allow_dev_mode`, whatever the process's
    /// environment says, and is then returned with `dev_mode` set.
    fn verify(&self, proof_path: &Path, allow_dev_mode: bool) -> Result<Verified>;
    /// Set up what verifying this proof file needs and `new` did not (keys a
    /// zkVM derives only for some proof kinds), so that `verify_ms` times the
    /// verification alone; returns the milliseconds it took, reported as setup.
    fn prepare_verify(&self, _proof_path: &Path) -> Result<f64> {
        Ok(0.0)
    }
}

/// Parses the command line, sets the zkVM up with `make`, runs the command,
/// prints the record (also when setup fails) and exits with the protocol's code.
/// `serve` sets up once and answers one request per stdin line instead.
pub fn main<Z: Zkvm>(make: impl FnOnce() -> Result<Z>) -> ! {
    use clap::Parser;
    let started = Instant::now();
    let cli = Cli::parse();
    match cli.command {
        Command::Serve => std::process::exit(serve(make, started)),
        Command::Info => {
            emit(&info::<Z>());
            std::process::exit(0)
        }
        _ => {}
    }
    let made = make();
    let setup_ms = elapsed_ms(started);
    let mut record = match &made {
        Ok(zkvm) => answer(zkvm, &cli.command),
        Err(err) => setup_failed::<Z>(cli.command.describe(), err),
    };
    record.setup_ms += setup_ms;
    record.peak_rss_bytes = peak_rss_bytes();
    record.host_ms = elapsed_ms(started);
    emit(&record);
    std::process::exit(record.exit_code)
}

/// Runs one command on a set-up zkVM; the record carries the outcome and exit code.
fn answer<Z: Zkvm>(zkvm: &Z, command: &Command) -> Record {
    let mut record = Record::new(command.describe(), Some(zkvm));
    let outcome = run(zkvm, command, &mut record);
    settle(&mut record, outcome);
    record
}

fn setup_failed<Z: Zkvm>(command: (&'static str, Option<&'static str>), err: &anyhow::Error) -> Record {
    let mut record = Record::new::<Z>(command, None);
    settle(&mut record, Err(anyhow!("{} setup failed: {err:#}", Z::NAME)));
    record
}

/// Sets `ok`, `error` and the protocol's exit code from an outcome.
fn settle(record: &mut Record, outcome: Result<()>) {
    match outcome {
        Ok(()) => {
            record.ok = true;
            record.exit_code = 0;
        }
        Err(err) => {
            record.ok = false;
            record.error = Some(format!("{err:#}"));
            record.exit_code = if err.downcast_ref::<Refused>().is_some() {
                2
            } else if err.downcast_ref::<NothingProven>().is_some() {
                3
            } else {
                1
            };
        }
    }
}

fn emit(value: &impl serde::Serialize) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    // A closed stdout means the driver is gone: nothing left to report to.
    let _ = writeln!(out, "{}", serde_json::to_string(value).expect("serializes")).and_then(|()| out.flush());
}

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
        // measured by the sweeps (guests/EFFICIENCY.md), not predicted.
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

/// The long-lived mode: set up once, print a `serve` record (its `setup_ms` is
/// the one-time setup), then answer each stdin line, a JSON array of one
/// command's arguments, with that command's record. Each request's
/// `peak_rss_bytes` is measured from a reset of the kernel's high-water mark at
/// its start (scope `request`), so it includes what the process already held.
/// Returns the exit code: 0 at the end of stdin, 1 if setup failed.
fn serve<Z: Zkvm>(make: impl FnOnce() -> Result<Z>, started: Instant) -> i32 {
    let made = make();
    let mut ready = match &made {
        Ok(zkvm) => ready_record(zkvm),
        Err(err) => setup_failed::<Z>(Command::Serve.describe(), err),
    };
    ready.setup_ms = elapsed_ms(started);
    ready.peak_rss_bytes = peak_rss_bytes();
    ready.host_ms = ready.setup_ms;
    emit(&ready);
    let Ok(zkvm) = made else { return 1 };
    serve_requests(&zkvm, std::io::stdin().lock(), emit);
    0
}

/// The record that says a serving host is set up and reads requests.
fn ready_record<Z: Zkvm>(zkvm: &Z) -> Record {
    let mut ready = Record::new(Command::Serve.describe(), Some(zkvm));
    settle(&mut ready, Ok(()));
    ready
}

/// Answers each request line of `requests` with one record, until its end.
fn serve_requests<Z: Zkvm>(zkvm: &Z, requests: impl std::io::BufRead, mut reply: impl FnMut(&Record)) {
    for line in requests.lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let start = Instant::now();
        let scope = reset_peak_rss();
        let mut record = match parse_request(&line) {
            Ok(command) => answer(zkvm, &command),
            Err(err) => {
                let mut record = Record::new(Command::Serve.describe(), Some(zkvm));
                settle(&mut record, Err(err));
                record
            }
        };
        record.peak_rss_bytes = peak_rss_bytes();
        record.peak_rss_scope = scope;
        record.host_ms = elapsed_ms(start);
        reply(&record);
    }
}

/// One `serve` request: a JSON array of the arguments a one-shot call would take.
fn parse_request(line: &str) -> Result<Command> {
    use clap::Parser;
    let args: Vec<String> = serde_json::from_str(line)
        .map_err(|e| Refused(format!("bad request: not a JSON array of strings ({e}): {line}")))?;
    let cli = Cli::try_parse_from(std::iter::once("host".to_string()).chain(args))
        .map_err(|e| Refused(format!("bad request: {}", e.render().to_string().trim())))?;
    match cli.command {
        Command::Serve | Command::Info => {
            Err(Refused(format!("bad request: {} is not a request to a serving host", cli.command.describe().0)).into())
        }
        command => Ok(command),
    }
}

/// Resets the kernel's peak-RSS mark (VmHWM) to the current RSS, Linux >= 4.0
/// (`/proc/self/clear_refs`, value 5). Returns the scope the next reading has.
fn reset_peak_rss() -> &'static str {
    match std::fs::write("/proc/self/clear_refs", "5") {
        Ok(()) => "request",
        Err(_) => "process",
    }
}

/// A request the host refuses before doing any work (exit code 2).
#[derive(Debug)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// A dev-mode proof checked on request (`--allow-dev-mode`): its output was
/// read and its commitments compared, but nothing was proven (exit code 3).
#[derive(Debug)]
pub struct NothingProven;

impl std::fmt::Display for NothingProven {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "a dev-mode (fake) proof, checked only because of --allow-dev-mode: its commitments match, \
             but nothing was proven",
        )
    }
}

impl std::error::Error for NothingProven {}

/// A proof file must be exactly the encoding of the proof decoded from it:
/// `reencoded` is that proof encoded again. Bytes after the proof, or any other
/// spelling of it, would make one claim many different "valid" files.
pub fn require_canonical(file: &[u8], reencoded: &[u8], what: &str) -> Result<()> {
    if file == reencoded {
        return Ok(());
    }
    if file.len() > reencoded.len() && file.starts_with(reencoded) {
        bail!(
            "{} bytes after the {what} ({} bytes): a proof file must end where its proof does",
            file.len() - reencoded.len(),
            reencoded.len()
        );
    }
    let at = file.iter().zip(reencoded).position(|(a, b)| a != b).unwrap_or(file.len().min(reencoded.len()));
    bail!(
        "the {what} is not in its canonical encoding: encoded again it differs from the file at byte {at} \
         ({} bytes in the file, {} encoded again)",
        file.len(),
        reencoded.len()
    )
}

fn run<Z: Zkvm>(zkvm: &Z, command: &Command, record: &mut Record) -> Result<()> {
    match command {
        Command::Execute { input, sha } => {
            let (words, expected) = read_input(input)?;
            record.input_bytes = Some(4 * words.len() as u64);
            let start = Instant::now();
            let execution = zkvm.execute(&guest_input(*sha, &words))?;
            record.execute_ms = Some(elapsed_ms(start));
            record.set_execution(&execution);
            check_against_native(&execution.public_output, &expected)?;
            record.set_output(&execution.public_output)?;
        }
        Command::Prove { input, proof, sha, kind } => {
            let kind = choose_kind::<Z>(kind.as_deref())?;
            let (words, expected) = read_input(input)?;
            record.input_bytes = Some(4 * words.len() as u64);
            let proved = zkvm.prove(&guest_input(*sha, &words), &kind, proof)?;
            record.prove_ms = Some(proved.prove_ms);
            record.setup_ms += proved.setup_ms;
            record.proof_kind = Some(proved.proof_kind.clone());
            record.set_execution(&proved.execution);
            check_against_native(&proved.execution.public_output, &expected)?;
            let start = Instant::now();
            // A prover in dev mode makes fake proofs; the record already says dev_mode.
            let verified = zkvm.verify(proof, zkvm.dev_mode()).context("the proof just made does not verify")?;
            record.verify_ms = Some(elapsed_ms(start));
            let verified_output = verified.public_output;
            if verified_output != proved.execution.public_output {
                bail!("the verified public output differs from the proven one");
            }
            record.set_proof(proof)?;
            record.set_output(&verified_output)?;
        }
        Command::Verify { proof, model_commitment, data_commitment, allow_dev_mode } => {
            let expected_model = parse_digest(model_commitment, "--model-commitment")?;
            let expected_data = parse_digest(data_commitment, "--data-commitment")?;
            record.set_proof(proof)?;
            record.setup_ms += zkvm.prepare_verify(proof)?;
            let start = Instant::now();
            let verified = zkvm.verify(proof, *allow_dev_mode).context("proof verification failed")?;
            record.verify_ms = Some(elapsed_ms(start));
            record.proof_kind = Some(verified.proof_kind);
            record.dev_mode |= verified.dev_mode;
            record.set_output(&verified.public_output)?;
            check_commitments(&verified.public_output, &expected_model, &expected_data)?;
            if verified.dev_mode {
                return Err(NothingProven.into());
            }
        }
        Command::Serve | Command::Info => bail!("{} is handled by main", command.describe().0),
    }
    Ok(())
}

fn choose_kind<Z: Zkvm>(requested: Option<&str>) -> Result<String> {
    let kind = requested.unwrap_or(Z::PROOF_KINDS[0].kind);
    if Z::PROOF_KINDS.iter().any(|k| k.kind == kind) {
        return Ok(kind.to_string());
    }
    if let Some((_, why)) = Z::REFUSED_KINDS.iter().find(|(k, _)| *k == kind) {
        return Err(Refused(format!("{} proof kind '{kind}' is not available here: {why}", Z::NAME)).into());
    }
    let available: Vec<&str> = Z::PROOF_KINDS.iter().map(|k| k.kind).collect();
    Err(Refused(format!("unknown {} proof kind '{kind}' (available: {})", Z::NAME, available.join(", "))).into())
}

/// The guest reads one word with the SHA mode, then the input.
pub fn guest_input(sha: ShaMode, words: &[u32]) -> Vec<u32> {
    let mut all = Vec::with_capacity(words.len() + 1);
    all.push(sha.word());
    all.extend_from_slice(words);
    all
}

/// Reads input.bin as words and evaluates it natively: bad input fails here
/// with the core's named error, before any zkVM work.
pub fn read_input(path: &PathBuf) -> Result<(Vec<u32>, PublicOutput)> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read input {}", path.display()))?;
    if bytes.len() % 4 != 0 {
        bail!("{}: Truncated: {} bytes is not a whole number of words", path.display(), bytes.len());
    }
    let words: Vec<u32> = bytes.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    let expected = evaluate::<SoftwareSha256>(&words).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    Ok((words, expected))
}

/// Every guest output must equal the native core's, byte for byte.
fn check_against_native(guest_output: &[u8], expected: &PublicOutput) -> Result<()> {
    if guest_output != expected.to_bytes() {
        bail!(
            "guest public output differs from the native reference:\n guest  {}\n native {}",
            hex::encode(guest_output),
            hex::encode(expected.to_bytes())
        );
    }
    Ok(())
}

/// The verifier's check: the proven output commits to the model and data it expects.
pub fn check_commitments(output: &[u8], model: &[u8; 32], data: &[u8; 32]) -> Result<PublicOutput> {
    let decoded = PublicOutput::from_bytes(output).map_err(|e| anyhow!("public output: {e}"))?;
    if &decoded.model_commitment != model {
        bail!(
            "model commitment mismatch: proof commits to {}, expected {}",
            hex::encode(decoded.model_commitment),
            hex::encode(model)
        );
    }
    if &decoded.data_commitment != data {
        bail!(
            "data commitment mismatch: proof commits to {}, expected {}",
            hex::encode(decoded.data_commitment),
            hex::encode(data)
        );
    }
    Ok(decoded)
}

fn parse_digest(text: &str, flag: &str) -> Result<[u8; 32]> {
    let bytes = hex::decode(text.trim()).with_context(|| format!("{flag}: not hex"))?;
    bytes.try_into().map_err(|b: Vec<u8>| anyhow!("{flag}: {} bytes, expected 32 (a SHA-256 in hex)", b.len()))
}

/// Milliseconds since `start`.
pub fn elapsed_ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1e3
}

/// Peak resident set size of this process (VmHWM), in bytes; 0 where /proc is absent.
pub fn peak_rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<u64>().ok()))
        .map_or(0, |kb| kb * 1024)
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::test_schema::{info_errors, valid_info, valid_record};
    use crate::test_zkvm::{output, proof_file, scratch, vector, Fake, DEV_PROOF, PROOF};

    /// The records a serving host answers `lines` with, each checked against the record schema.
    fn serve_lines(lines: &str) -> Vec<serde_json::Value> {
        let mut records = Vec::new();
        serve_requests(&Fake, lines.as_bytes(), |r| records.push(valid_record(r)));
        records
    }

    #[test]
    fn the_ready_record_fits_the_schema() {
        let ready = valid_record(&ready_record(&Fake));
        assert_eq!((&ready["command"], &ready["ok"], &ready["exit_code"]), (&"serve".into(), &true.into(), &0.into()));
        let failed = valid_record(&setup_failed::<Fake>(Command::Serve.describe(), &anyhow::anyhow!("no keys")));
        assert_eq!((&failed["command"], &failed["exit_code"]), (&"serve".into(), &1.into()));
    }

    #[test]
    fn serve_answers_each_request_line_with_its_exit_code() {
        let proof = scratch("serve").join("some.proof");
        std::fs::write(&proof, b"bytes").unwrap();
        let verify = serde_json::to_string(&[
            "verify",
            "--proof",
            proof.to_str().unwrap(),
            "--model-commitment",
            &"ab".repeat(32),
            "--data-commitment",
            &"cd".repeat(32),
        ])
        .unwrap();
        let execute = serde_json::to_string(&["execute", "--input", &vector("affine-basic")]).unwrap();
        let requests = format!("{verify}\n\n[\"prove\",\"--input\",\"x\",\"--proof\",\"y\",\"--kind\",\"groth16\"]\nnot json\n[\"execute\",\"--bogus\"]\n[\"serve\"]\n[\"info\"]\n{execute}\n");
        let records = serve_lines(&requests);
        let summary: Vec<(&str, i64)> =
            records.iter().map(|r| (r["command"].as_str().unwrap(), r["exit_code"].as_i64().unwrap())).collect();
        assert_eq!(
            summary,
            [("verify", 1), ("prove", 2), ("serve", 2), ("serve", 2), ("serve", 2), ("serve", 2), ("execute", 0)],
            "blank lines are skipped"
        );
        let error = |i: usize| records[i]["error"].as_str().unwrap().to_owned();
        assert!(error(0).contains("not a fake proof"), "{}", error(0));
        assert!(error(1).contains("not available here"));
        assert!(error(2).starts_with("bad request: not a JSON array"));
        assert!(error(3).contains("--bogus"));
        assert!(error(4).contains("serve is not a request to a serving host"));
        assert!(error(5).contains("info is not a request to a serving host"));
        assert!(records[..6].iter().all(|r| r["ok"] == false));
        assert!(records.iter().all(|r| r["peak_rss_bytes"].as_u64().unwrap() > 0 && r["peak_rss_scope"] == "request"));
    }

    /// The record of one command line on the fake zkVM, checked against the record schema.
    fn answer_args(args: &[&str]) -> Value {
        use clap::Parser;
        let cli = Cli::try_parse_from(std::iter::once("host").chain(args.iter().copied())).unwrap();
        valid_record(&answer(&Fake, &cli.command))
    }

    fn outcome(record: &Value) -> (bool, i64) {
        (record["ok"].as_bool().unwrap(), record["exit_code"].as_i64().unwrap())
    }

    /// `verify` of a proof file with these bytes, expecting `output()`'s commitments.
    fn verify_file(name: &str, bytes: &[u8], extra: &[&str]) -> Value {
        let proof = scratch("verify").join(name);
        std::fs::write(&proof, bytes).unwrap();
        let (model, data) = (hex::encode([1u8; 32]), hex::encode([2u8; 32]));
        let mut args = vec!["verify", "--proof", proof.to_str().unwrap(), "--model-commitment", &model];
        args.extend(["--data-commitment", &data]);
        args.extend(extra);
        answer_args(&args)
    }

    #[test]
    fn execute_and_prove_report_cycles_output_and_the_proof() {
        let input = vector("affine-basic");
        let executed = answer_args(&["execute", "--input", &input, "--sha", "software"]);
        assert_eq!(outcome(&executed), (true, 0), "{executed}");
        assert_eq!((&executed["command"], &executed["sha"]), (&"execute".into(), &"software".into()));
        assert!(executed["execute_ms"].is_number() && executed["prove_ms"].is_null());
        assert!(executed["public_output_hex"].is_string() && executed["score"]["mse"].is_number());

        let proof = scratch("prove").join("affine.proof");
        let proved = answer_args(&["prove", "--input", &input, "--proof", proof.to_str().unwrap()]);
        assert_eq!(outcome(&proved), (true, 0), "{proved}");
        assert_eq!((&proved["proof_kind"], &proved["sha"]), (&"core".into(), &"precompile".into()));
        assert_eq!(proved["proof_bytes"], std::fs::metadata(&proof).unwrap().len());
        assert!(proved["prove_ms"].is_number() && proved["verify_ms"].is_number());
        assert_eq!(proved["public_output_hex"], executed["public_output_hex"]);

        let missing = answer_args(&["execute", "--input", "/nonexistent/input.bin"]);
        assert_eq!(outcome(&missing), (false, 1));
        let refused = answer_args(&["prove", "--input", &input, "--proof", "p", "--kind", "groth16"]);
        assert_eq!(outcome(&refused), (false, 2));
    }

    #[test]
    fn a_setup_failure_is_a_record_too() {
        let failed = valid_record(&setup_failed::<Fake>(("execute", Some("precompile")), &anyhow!("no keys")));
        assert_eq!(outcome(&failed), (false, 1));
        assert_eq!(failed["error"], "fake setup failed: no keys");
        assert_eq!(failed["program_id"], "");
    }

    #[test]
    fn verify_passes_the_proof_and_nothing_after_it() {
        let proof = proof_file(PROOF, &output().to_bytes());
        let honest = verify_file("honest", &proof, &[]);
        assert_eq!(outcome(&honest), (true, 0), "{honest}");
        assert_eq!((&honest["proof_kind"], &honest["sha"]), (&"core".into(), &Value::Null));
        let appended = verify_file("appended", &[&proof[..], &[0u8; 16]].concat(), &[]);
        assert_eq!(outcome(&appended), (false, 1));
        let why = appended["error"].as_str().unwrap();
        assert!(
            why.contains("16 bytes after the fake proof (178 bytes): a proof file must end where its proof does"),
            "{why}"
        );
        let twice = verify_file("twice", &proof.repeat(2), &[]);
        assert!(twice["error"].as_str().unwrap().contains("178 bytes after the fake proof"), "{twice}");
    }

    #[test]
    fn verify_holds_the_output_to_the_verifiers_commitments() {
        let mut other = output();
        other.data_commitment = [7; 32];
        let record = verify_file("other-data", &proof_file(PROOF, &other.to_bytes()), &[]);
        assert_eq!(outcome(&record), (false, 1));
        assert!(record["error"].as_str().unwrap().starts_with("data commitment mismatch"), "{record}");
    }

    #[test]
    fn a_dev_mode_proof_never_verifies_and_when_allowed_says_nothing_was_proven() {
        let proof = proof_file(DEV_PROOF, &output().to_bytes());
        let refused = verify_file("dev", &proof, &[]);
        assert_eq!(outcome(&refused), (false, 1));
        assert!(refused["error"].as_str().unwrap().contains("a dev-mode proof: it proves nothing"), "{refused}");
        let allowed = verify_file("dev", &proof, &["--allow-dev-mode"]);
        assert_eq!(outcome(&allowed), (false, 3), "{allowed}");
        assert_eq!(allowed["dev_mode"], true);
        assert!(allowed["error"].as_str().unwrap().contains("nothing was proven"));
        assert!(allowed["public_output_hex"].is_string(), "the output was read and its commitments checked");
    }

    #[test]
    fn proof_kinds_default_allowed_refused_unknown() {
        assert_eq!(choose_kind::<Fake>(None).unwrap(), "core");
        assert_eq!(choose_kind::<Fake>(Some("compressed")).unwrap(), "compressed");
        let refused = choose_kind::<Fake>(Some("groth16")).unwrap_err();
        assert!(refused.downcast_ref::<Refused>().is_some());
        assert!(refused.to_string().contains("not available here: needs a download"));
        assert!(choose_kind::<Fake>(Some("magic")).unwrap_err().to_string().contains("unknown fake proof kind"));
    }

    #[test]
    fn canonical_encoding_is_required_byte_for_byte() {
        assert!(require_canonical(b"abc", b"abc", "x").is_ok());
        let longer = require_canonical(b"abcd", b"abc", "x").unwrap_err().to_string();
        assert_eq!(longer, "1 bytes after the x (3 bytes): a proof file must end where its proof does");
        let other = require_canonical(b"abd", b"abc", "x").unwrap_err().to_string();
        assert!(
            other.starts_with(
                "the x is not in its canonical encoding: encoded again it differs from the file at byte 2"
            ),
            "{other}"
        );
        let shorter = require_canonical(b"ab", b"abc", "x").unwrap_err().to_string();
        assert!(shorter.contains("at byte 2 (2 bytes in the file, 3 encoded again)"), "{shorter}");
    }

    #[test]
    fn commitments_are_checked_against_the_verifiers_expectation() {
        let bytes = output().to_bytes();
        assert!(check_commitments(&bytes, &[1; 32], &[2; 32]).is_ok());
        let model = check_commitments(&bytes, &[9; 32], &[2; 32]).unwrap_err().to_string();
        assert!(model.starts_with("model commitment mismatch"), "{model}");
        let data = check_commitments(&bytes, &[1; 32], &[9; 32]).unwrap_err().to_string();
        assert!(data.starts_with("data commitment mismatch"), "{data}");
        assert!(check_commitments(&bytes[..100], &[1; 32], &[2; 32]).is_err());
    }

    #[test]
    fn digests_parse_from_hex() {
        assert_eq!(parse_digest(&"ab".repeat(32), "--x").unwrap(), [0xab; 32]);
        assert!(parse_digest("abcd", "--x").unwrap_err().to_string().contains("2 bytes, expected 32"));
        assert!(parse_digest("zz", "--x").is_err());
    }

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

    #[test]
    fn the_guest_output_must_equal_the_native_one() {
        let o = output();
        assert!(check_against_native(&o.to_bytes(), &o).is_ok());
        let mut other = o.to_bytes();
        other[150] ^= 1;
        assert!(check_against_native(&other, &o)
            .unwrap_err()
            .to_string()
            .contains("differs from the native reference"));
    }

    #[test]
    fn input_errors_name_the_file_and_the_problem() {
        let dir = std::env::temp_dir().join(format!("zkml-host-common-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let odd = dir.join("odd.bin");
        std::fs::write(&odd, [1u8, 2, 3]).unwrap();
        assert!(read_input(&odd).unwrap_err().to_string().contains("Truncated"));
        let bad = dir.join("bad.bin");
        std::fs::write(&bad, [0u8; 16]).unwrap();
        let err = read_input(&bad).unwrap_err().to_string();
        assert!(err.contains("bad.bin") && err.contains("BadMagic"), "{err}");
        assert!(read_input(&dir.join("missing.bin")).unwrap_err().to_string().contains("cannot read input"));
        assert_eq!(guest_input(ShaMode::Software, &[7, 8]), vec![1, 7, 8]);
    }
}
