//! One command, start to end: the process's entry point, running a command on
//! a set-up zkVM, and turning its outcome into the record's `ok`, `error` and
//! the protocol's exit code (guests/PROTOCOL.md, "Output").

use std::time::Instant;

use anyhow::{anyhow, bail, Context, Result};

use crate::input::{check_against_native, guest_input, read_input};
use crate::measure::{elapsed_ms, peak_rss_bytes};
use crate::verifier::{check_commitments, parse_digest};
use crate::{info, serve, Cli, Command, Record, Zkvm};

/// Parses the command line, sets the zkVM up with `make`, runs the command,
/// prints the record (also when setup fails) and exits with the protocol's code.
/// `serve` sets up once and answers one request per stdin line instead.
pub fn main<Z: Zkvm>(make: impl FnOnce() -> Result<Z>) -> ! {
    use clap::Parser;
    let started = Instant::now();
    let cli = Cli::parse();
    match cli.command {
        Command::Serve => std::process::exit(serve::serve(make, started)),
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

/// Prints one JSON line on stdout: a record, or `info`'s answer.
pub(crate) fn emit(value: &impl serde::Serialize) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    // A closed stdout means the driver is gone: nothing left to report to.
    let _ = writeln!(out, "{}", serde_json::to_string(value).expect("serializes")).and_then(|()| out.flush());
}

/// Runs one command on a set-up zkVM; the record carries the outcome and exit code.
pub(crate) fn answer<Z: Zkvm>(zkvm: &Z, command: &Command) -> Record {
    let mut record = Record::new(command.describe(), Some(zkvm));
    let outcome = run(zkvm, command, &mut record);
    settle(&mut record, outcome);
    record
}

/// The record of a command whose zkVM could not be set up.
pub(crate) fn setup_failed<Z: Zkvm>(command: (&'static str, Option<&'static str>), err: &anyhow::Error) -> Record {
    let mut record = Record::new::<Z>(command, None);
    settle(&mut record, Err(anyhow!("{} setup failed: {err:#}", Z::NAME)));
    record
}

/// Sets `ok`, `error` and the protocol's exit code from an outcome.
pub(crate) fn settle(record: &mut Record, outcome: Result<()>) {
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

/// The requested proof kind, or the default; a kind this host cannot make is refused.
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

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::test_schema::valid_record;
    use crate::test_zkvm::{affine_input, output, proof_file, scratch, Fake, DEV_PROOF, PROOF};

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
        let input = affine_input("execute-prove");
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
}
