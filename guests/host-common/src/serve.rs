//! `<host> serve`: the long-lived mode, where the zkVM's setup is paid once
//! and each stdin line is one command's request (guests/PROTOCOL.md).

use std::time::Instant;

use anyhow::Result;

use crate::dispatch::{answer, emit, settle, setup_failed, Refused};
use crate::measure::{elapsed_ms, peak_rss_bytes, reset_peak_rss};
use crate::{Cli, Command, Record, Zkvm};

/// Sets up once, prints a `serve` record (its `setup_ms` is the one-time
/// setup), then answers each stdin line, a JSON array of one command's
/// arguments, with that command's record. Each request's `peak_rss_bytes` is
/// measured from a reset of the kernel's high-water mark at its start (scope
/// `request`), so it includes what the process already held.
/// Returns the exit code: 0 at the end of stdin, 1 if setup failed.
pub(crate) fn serve<Z: Zkvm>(make: impl FnOnce() -> Result<Z>, started: Instant) -> i32 {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_schema::valid_record;
    use crate::test_zkvm::{affine_input, scratch, Fake};

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
        let execute = serde_json::to_string(&["execute", "--input", &affine_input("serve")]).unwrap();
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
}
