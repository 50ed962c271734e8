// What a benchmark ran on, recorded in every result row so that rows from
// several machines (an ARM laptop, a GPU box) can be merged and told apart.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import { PROJECT_ROOT } from "../paths.js";
import type { MachineInfo } from "../spec/records.js";

/** Its fields are spec/sweep-row.schema.json's `machine` (every sweep row carries one). */
export type { MachineInfo } from "../spec/records.js";

function run(file: string, args: string[], cwd = PROJECT_ROOT): string | null {
  try {
    return execFileSync(file, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 }).trim();
  } catch {
    return null;
  }
}

function osName(): string {
  const release = existsSync("/etc/os-release") ? readFileSync("/etc/os-release", "utf8") : "";
  return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(release)?.[1] ?? `${os.type()} ${os.release()}`;
}

function gitRevision(): string | null {
  const rev = run("git", ["rev-parse", "--short=12", "HEAD"]);
  if (!rev) return null;
  const dirty = run("git", ["status", "--porcelain", "--untracked-files=no"]);
  return dirty ? `${rev}-dirty` : rev;
}

/** Extensions that decide how fast field arithmetic and hashing run (x86: AVX2/AVX-512, ADX, SHA; Arm: NEON, SHA-2). */
const PROVER_CPU_FLAGS = ["sse4_2", "avx", "avx2", "fma", "bmi2", "adx", "avx512f", "avx512ifma", "sha_ni", "asimd", "aes", "sha2"];

/** This CPU's prover-relevant flags from /proc/cpuinfo (its first "flags" or "Features" line). */
export function cpuFlags(cpuinfo: string | null = existsSync("/proc/cpuinfo") ? readFileSync("/proc/cpuinfo", "utf8") : null): string[] | null {
  const line = cpuinfo && /^(?:flags|Features)\s*:(.*)$/m.exec(cpuinfo)?.[1];
  if (!line) return null;
  const have = new Set(line.trim().split(/\s+/));
  return PROVER_CPU_FLAGS.filter((f) => have.has(f));
}

let cached: MachineInfo | undefined;

/** This machine, read once per process. */
export function machineInfo(): MachineInfo {
  if (cached) return cached;
  const hostname = os.hostname();
  const arch = os.machine();
  const gpus = run("nvidia-smi", ["--query-gpu=name", "--format=csv,noheader"]);
  cached = {
    id: process.env.ZKML_MACHINE || `${hostname}/${arch}`,
    hostname,
    arch,
    cpu_model: os.cpus()[0]?.model.trim() ?? "unknown",
    cpu_flags: cpuFlags(),
    cores: os.availableParallelism(),
    ram_bytes: os.totalmem(),
    gpu: gpus ? gpus.split("\n").join(", ") : null,
    os: osName(),
    kernel: os.release(),
    node: process.version,
    rustc: run("rustc", ["--version"]),
    git_rev: gitRevision(),
  };
  return cached;
}
