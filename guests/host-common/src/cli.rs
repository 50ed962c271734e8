//! The command line of guests/PROTOCOL.md.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(about = "zkml-bench host: execute, prove and verify the scoring guest (guests/PROTOCOL.md)")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the guest without proving: cycles and public output.
    Execute {
        #[arg(long)]
        input: PathBuf,
        #[arg(long, value_enum, default_value_t = ShaMode::Precompile)]
        sha: ShaMode,
    },
    /// Execute, prove, write the proof, and verify it once.
    Prove {
        #[arg(long)]
        input: PathBuf,
        #[arg(long)]
        proof: PathBuf,
        #[arg(long, value_enum, default_value_t = ShaMode::Precompile)]
        sha: ShaMode,
        /// Proof kind (default: the zkVM's first).
        #[arg(long)]
        kind: Option<String>,
    },
    /// Verify a proof against the commitments the verifier expects.
    Verify {
        #[arg(long)]
        proof: PathBuf,
        /// SHA-256 of the published model.bin, hex.
        #[arg(long)]
        model_commitment: String,
        /// SHA-256 of the private testset.bin, hex (from the data owner).
        #[arg(long)]
        data_commitment: String,
        /// Check a dev-mode (fake) proof's output anyway, for a developer's
        /// pipeline: it still proves nothing, so the record says so and the
        /// exit code is 3, never 0. Without it such a proof is rejected,
        /// whatever the environment says.
        #[arg(long)]
        allow_dev_mode: bool,
    },
    /// Serve many requests from one process, so the zkVM's setup is paid once:
    /// each stdin line is a JSON array of one command's arguments (e.g.
    /// ["execute","--input","x.bin"]), answered by one record line on stdout.
    Serve,
    /// Describe this host (zkVM, SDK version, ISA, proof kinds) as one JSON
    /// object, without setting the zkVM up.
    Info,
}

impl Command {
    /// The record's `command` and `sha` fields.
    pub fn describe(&self) -> (&'static str, Option<&'static str>) {
        match self {
            Command::Execute { sha, .. } => ("execute", Some(sha.name())),
            Command::Prove { sha, .. } => ("prove", Some(sha.name())),
            Command::Verify { .. } => ("verify", None),
            Command::Serve => ("serve", None),
            Command::Info => ("info", None),
        }
    }
}

/// How the guest hashes the commitments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ShaMode {
    /// The zkVM's SHA-256 precompile.
    Precompile,
    /// Software SHA-256 (the sha2 crate).
    Software,
}

impl ShaMode {
    /// The word the guest reads before its input.
    pub fn word(self) -> u32 {
        match self {
            ShaMode::Precompile => 0,
            ShaMode::Software => 1,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ShaMode::Precompile => "precompile",
            ShaMode::Software => "software",
        }
    }
}
