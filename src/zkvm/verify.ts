// A third party's check of a published claim: the proof, the model commitment
// they computed from the published model, the data commitment the data owner
// published, and the claimed score. Pass only if the prover's host accepts the
// proof for our guest, both commitments match, and every claimed score holds
// (src/zkvm/verdict.ts decides; this module does the files and the host).
import { existsSync, readFileSync, statSync } from "node:fs";
import { sha256Hex } from "../export/reference.js";
import { runHost, hostArgs } from "./driver.js";
import type { HostRecord } from "./record.js";
import { hostInfo, zkvm } from "./registry.js";
import type { HostServer } from "./server.js";
import { type ClaimMetric, ClaimUsageError, type Proven, type ScoreCheck, describeCheck, parseClaims, verdictOf } from "./verdict.js";

/** Scores as published, e.g. "0.394": checked at their own decimals (at least
 *  three), or within `tolerance` (src/zkvm/verdict.ts). */
export type Claim = Partial<Record<ClaimMetric, string>>;

export interface VerifyRequest {
  zkvm: string;
  proof: string;
  /** 64 hex digits, or the path of the published model.bin (hashed here). */
  model: string;
  /** 64 hex digits, as published by the data owner. */
  dataCommitment: string;
  claim: Claim;
  /** The claimed scores' tolerance, instead of their decimals (at most 0.0005). */
  tolerance?: string;
  /** Options a host offers for verifying (its `info`'s verify_options, e.g.
   *  EZKL's `--trusted-srs FILE`): flag → value, passed on as they are. */
  hostOptions?: Record<string, string>;
  timeoutMs?: number;
  /** A long-lived host of this zkVM to verify with (several claims, one setup);
   *  by default a one-shot host process, as a third party runs it. */
  server?: HostServer;
}

export interface VerifyOutcome {
  ok: boolean;
  /** Why it failed, one line each; empty when it passed. */
  reasons: string[];
  /** Each claimed score against the proven one, with the interval it accepted. */
  checks: ScoreCheck[];
  /** What a PASS does not establish (a setup the prover generated itself). */
  caveats: string[];
  /** The proven score in real numbers (null when the proof did not verify). */
  proven: Proven | null;
  record: HostRecord | null;
}

const HEX_DIGEST = /^[0-9a-f]{64}$/;

/** The request itself is malformed (a flag, a path, a claim too coarse to check): nothing was verified. `zkml verify` exits 2. */
export class VerifyUsageError extends Error {
  override name = "VerifyUsageError";
}

/** A path that must be an existing file (not a directory). */
function requireFile(path: string, what: string): void {
  if (!existsSync(path)) throw new VerifyUsageError(`${what} not found: ${path}`);
  if (statSync(path).isDirectory()) throw new VerifyUsageError(`${what} ${path} is a directory, not a file`);
}

/** The model commitment: given as hex, or computed as SHA-256 of model.bin (spec/FORMAT.md). */
export function modelCommitmentOf(model: string): string {
  if (HEX_DIGEST.test(model.toLowerCase())) return model.toLowerCase();
  if (!existsSync(model)) throw new VerifyUsageError(`--model: '${model}' is neither 64 hex digits nor a model.bin file`);
  requireFile(model, "--model");
  return sha256Hex(readFileSync(model));
}

/** The host's own options for `verify`, checked against what it offers. */
function hostOptionArgs(id: string, options: Record<string, string> = {}): string[] {
  const flags = Object.keys(options);
  if (flags.length === 0) return [];
  const offered = hostInfo(zkvm(id)).verify_options ?? [];
  const args: string[] = [];
  for (const flag of flags) {
    const known = offered.find((o) => o.flag === flag);
    if (!known) throw new VerifyUsageError(`${flag} is not an option of the ${id} verifier (it has: ${offered.map((o) => o.flag).join(", ") || "none"})`);
    args.push(flag, options[flag]);
  }
  return args;
}

export async function verifyClaim(r: VerifyRequest): Promise<VerifyOutcome> {
  // Every part of the request is checked before the (slow) proof verification.
  const data = r.dataCommitment.toLowerCase();
  if (!HEX_DIGEST.test(data)) throw new VerifyUsageError(`--data-commitment must be 64 hex digits, got '${r.dataCommitment}'`);
  let claims: ReturnType<typeof parseClaims>;
  try {
    claims = parseClaims(r.claim, r.tolerance);
  } catch (err) {
    if (err instanceof ClaimUsageError) throw new VerifyUsageError(err.message);
    throw err;
  }
  requireFile(r.proof, "proof file");
  if (r.server && r.server.zkvm.id !== r.zkvm) throw new Error(`verifyClaim: the server runs ${r.server.zkvm.id}, the claim names ${r.zkvm}`);
  const args = [...hostArgs.verify(r.proof, modelCommitmentOf(r.model), data), ...hostOptionArgs(r.zkvm, r.hostOptions)];
  const run = r.server ? await r.server.run(args, { timeoutMs: r.timeoutMs }) : await runHost(zkvm(r.zkvm), args, { timeoutMs: r.timeoutMs });
  const record = run.record;
  const failed = (why: string): VerifyOutcome => ({ ok: false, reasons: [why], checks: [], caveats: [], proven: null, record });
  if (!record?.ok || run.exitCode !== 0) {
    return failed(run.timedOut ? "verification timed out" : (record?.error ?? (run.stderrTail.split("\n").pop() || `host exited ${run.exitCode}`)));
  }
  // A host refuses dev-mode proofs itself; this is the second lock.
  if (record.dev_mode) return failed("the host runs in dev mode: its proofs are not real");
  const score = record.score!;
  const output = record.public_output as { n_samples: number };
  const proven: Proven = { r2: score.r2, mse: score.mse, mae: score.mae, n_samples: output.n_samples };
  const verdict = verdictOf(proven, claims, setupCaveats(record));
  return { ...verdict, proven, record };
}

/** A PASS rests on the prover's setup where the proof system has one (EZKL's
 *  SRS): say so when nobody the verifier trusts made it. */
function setupCaveats(record: HostRecord): string[] {
  const trust = record.setup_trust;
  if (!trust || trust.trusted) return [];
  return [
    `the proof rests on a setup nobody you trust vouched for: its SRS (${trust.srs_sha256.slice(0, 16)}…) was ${trust.srs_origin}. ` +
      "For a real claim the prover uses an SRS from a public ceremony (`prove --srs`), and the verifier passes the same file with `--trusted-srs`.",
  ];
}

/** The verdict as `zkml verify` prints it: what was proven, each claimed
 *  score with the interval it accepted, then PASS or every FAIL reason, and
 *  what a PASS rests on. */
export function verdictLines(zkvmId: string, o: VerifyOutcome): string[] {
  const lines: string[] = [];
  const p = o.proven;
  if (p) lines.push(`proven on ${p.n_samples} samples: R² ${p.r2 ?? "undefined"}, MSE ${p.mse}, MAE ${p.mae}`);
  for (const c of o.checks) lines.push(describeCheck(c));
  if (o.ok) {
    const what = o.checks.length ? "every claimed score holds" : "no score was claimed";
    lines.push(`PASS: the ${zkvmId} proof is valid for the zkml-bench guest and both commitments match; ${what}`);
  } else {
    for (const reason of o.reasons) lines.push(`FAIL: ${reason}`);
  }
  for (const caveat of o.caveats) lines.push(`CAVEAT: ${caveat}`);
  return lines;
}
