// The driver over the hosts' JSON protocol (guests/PROTOCOL.md): build them,
// run execute / prove / verify with a time limit, and measure each run's peak
// memory from outside as well, so a host that under-reports is caught.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { execa } from "execa";
import { PROJECT_ROOT } from "../paths.js";
import { type HostRecord, parseHostRecord } from "./record.js";
import type { ZkvmEntry } from "./registry.js";

export interface HostRun {
  /** Exit code of the host; null when it was killed (timeout, a signal). */
  exitCode: number | null;
  /** The signal that ended the host (SIGKILL from the out-of-memory killer, SIGABRT), if one did. */
  signal?: string | null;
  /** The validated JSON record; null when the host printed none (crash, kill). */
  record: HostRecord | null;
  /** The last lines of the host's stderr, kept for failure reports. */
  stderrTail: string;
  /** Wall time of the whole run as the driver sees it (process start to exit). */
  wallMs: number;
  /** Peak resident memory of the host process from the kernel (wait4's ru_maxrss
   *  via GNU time); null where GNU time is not installed (macOS has BSD time), and for a
   *  request to a long-lived server (its record's `peak_rss_bytes` is per request). */
  peakRssExternalBytes: number | null;
  timedOut: boolean;
}

export interface RunOptions {
  /** Kill the host after this long (ms); the run then reports timedOut. */
  timeoutMs?: number;
  env?: Record<string, string>;
  /** Each stderr line of the host as it arrives (for verbose progress). */
  onStderrLine?: (line: string) => void;
  /** Pin the host to this many cores (the first ones); absent: all. */
  cores?: number;
}

/** The command that runs `binary args`, pinned to the first `cores` CPUs when
 *  asked: taskset sets the affinity and execs the host (same process), and
 *  RAYON_NUM_THREADS makes the provers' thread pools match it. */
export function pinnedCommand(
  binary: string,
  args: string[],
  cores: number | undefined,
  env: Record<string, string> = {},
): { file: string; argv: string[]; env: Record<string, string> } {
  if (cores === undefined) return { file: binary, argv: args, env };
  const available = os.availableParallelism();
  if (!Number.isInteger(cores) || cores < 1 || cores > available)
    throw new RangeError(`cannot pin to ${cores} cores: this machine has ${available} (choose 1..${available})`);
  if (probe("taskset", ["--version"]) === null) throw new Error("pinning a host to some cores needs taskset (util-linux; Linux only)");
  return { file: "taskset", argv: ["--cpu-list", `0-${cores - 1}`, binary, ...args], env: { ...env, RAYON_NUM_THREADS: String(cores) } };
}

/** A command's stdout, or null when it cannot run; asked once per process. */
const probes = new Map<string, string | null>();
function probe(file: string, args: string[]): string | null {
  const key = [file, ...args].join(" ");
  if (!probes.has(key)) {
    try {
      probes.set(key, execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 10_000 }));
    } catch {
      probes.set(key, null);
    }
  }
  return probes.get(key) ?? null;
}

const TIME = process.env.ZKML_GNU_TIME ?? "/usr/bin/time";

/** True when TIME is GNU time (its -f and -o flags). BSD time (macOS) has
 *  neither: there the rows hold only the host's own peak figure. */
export function gnuTimeAvailable(): boolean {
  return probe(TIME, ["--version"])?.includes("GNU") ?? false;
}
/** How many last stderr lines of a host a failure report keeps. */
export const STDERR_TAIL_LINES = 20;

export function hostBuilt(z: ZkvmEntry): boolean {
  return existsSync(z.binary);
}

/** The direct children of a process (Linux /proc). */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Calls `onLine` for each complete line of a stream, and the last partial one at its end.
 *  A multi-byte UTF-8 character split across two chunks is decoded whole. */
export function forEachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  stream.on("data", (chunk: Buffer | string) => {
    const lines = (pending + (typeof chunk === "string" ? chunk : decoder.write(chunk))).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) onLine(line);
  });
  stream.on("end", () => {
    pending += decoder.end();
    if (pending) onLine(pending);
  });
}

/** Runs one host command. Never throws for a failing host: the exit code, the
 *  record (hosts print one on failure too) and the stderr tail say what happened. */
export async function runHost(z: ZkvmEntry, args: string[], options: RunOptions = {}): Promise<HostRun> {
  if (!hostBuilt(z)) throw new Error(`${z.label} host not built: ${z.binary} is missing (run guests/build.sh ${z.id})`);
  const measured = gnuTimeAvailable();
  const scratch = mkdtempSync(join(tmpdir(), "zkml-run-"));
  const rssFile = join(scratch, "maxrss");
  // /usr/bin/time -f %M: the child's peak RSS in KiB, from wait4(2).
  const host = pinnedCommand(z.binary, args, options.cores, options.env);
  const [file, argv] = measured ? [TIME, ["-f", "%M", "-o", rssFile, host.file, ...host.argv]] : [host.file, host.argv];
  const start = performance.now();
  const subprocess = execa(file, argv, { reject: false, env: host.env, stripFinalNewline: true, buffer: { stdout: true, stderr: true } });
  let timedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          // Kill the host itself (time's child), then time: killing only time would orphan the prover.
          if (measured && subprocess.pid) for (const pid of childPids(subprocess.pid)) process.kill(pid, "SIGKILL");
          subprocess.kill("SIGKILL");
        }, options.timeoutMs);
  if (options.onStderrLine && subprocess.stderr) forEachLine(subprocess.stderr, options.onStderrLine);
  const result = await subprocess;
  clearTimeout(timer);
  const wallMs = performance.now() - start;
  let peakRssExternalBytes: number | null = null;
  if (measured && existsSync(rssFile)) {
    // time writes "Command exited with non-zero status N" before the number on failure.
    const kib = readFileSync(rssFile, "utf8").trim().split("\n").pop();
    if (kib && /^\d+$/.test(kib)) peakRssExternalBytes = Number(kib) * 1024;
  }
  rmSync(scratch, { recursive: true, force: true });
  const stderrTail = String(result.stderr ?? "")
    .split("\n")
    .slice(-STDERR_TAIL_LINES)
    .join("\n");
  const stdout = String(result.stdout ?? "");
  const record = stdout.trim() ? parseHostRecord(stdout, `${z.id} ${args[0]}`) : null;
  return { exitCode: timedOut ? null : (result.exitCode ?? null), signal: result.signal ?? null, record, stderrTail, wallMs, peakRssExternalBytes, timedOut };
}

/** What went wrong in a run, in one line (null when it succeeded). */
export function runFailure(run: HostRun): string | null {
  if (run.timedOut) return `timed out after ${(run.wallMs / 1000).toFixed(0)} s`;
  if (run.record?.ok && run.exitCode === 0) return null;
  if (!run.record) {
    // No record: the host died. Name running out of memory where the signs say so.
    const allocation = /memory allocation of \d+ bytes failed|MemoryError|std::bad_alloc/.exec(run.stderrTail);
    if (allocation) return `out of memory: ${allocation[0]}`;
    // GNU time, wrapping a one-shot host, reports its child's signal in words and exits 128 + 9.
    if (run.signal === "SIGKILL" || run.exitCode === 137 || /terminated by signal 9\b/.test(run.stderrTail))
      return "killed by SIGKILL, most likely the kernel's out-of-memory killer (the host left no record; dmesg says)";
    if (run.signal) return `killed by ${run.signal}: ${run.stderrTail.split("\n").filter(Boolean).pop() || "no output"}`;
  }
  const reason = run.record?.error ?? (run.stderrTail.split("\n").filter(Boolean).pop() || "no output");
  return `exit ${run.exitCode}: ${reason}`;
}

export interface ProveArgs {
  input: string;
  proof: string;
  sha?: "precompile" | "software";
  kind?: string;
}

export const hostArgs = {
  execute: (input: string, sha: "precompile" | "software" = "precompile") => ["execute", "--input", input, "--sha", sha],
  prove: (a: ProveArgs) => ["prove", "--input", a.input, "--proof", a.proof, "--sha", a.sha ?? "precompile", ...(a.kind ? ["--kind", a.kind] : [])],
  verify: (proof: string, modelCommitment: string, dataCommitment: string) => [
    "verify",
    "--proof",
    proof,
    "--model-commitment",
    modelCommitment,
    "--data-commitment",
    dataCommitment,
  ],
};

/** Builds the guests and hosts of these zkVMs (incremental: cargo reuses its
 *  target dirs under ~/.cache/zkml-bench), showing build.sh's stage lines. */
export async function buildHosts(ids: string[], onLine: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<void> {
  const subprocess = execa("bash", [join(PROJECT_ROOT, "guests", "build.sh"), ...ids], { reject: false, all: true, buffer: { all: true } });
  if (subprocess.all) forEachLine(subprocess.all, onLine);
  const result = await subprocess;
  if (result.exitCode !== 0) {
    const tail = String(result.all ?? "")
      .split("\n")
      .slice(-STDERR_TAIL_LINES)
      .join("\n");
    throw new Error(`guests/build.sh ${ids.join(" ")} failed (exit ${result.exitCode}):\n${tail}`);
  }
}
