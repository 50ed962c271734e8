// A third party's check of a published claim: the proof, the model commitment
// they computed from the published model, the data commitment the data owner
// published, and the claimed score. Pass only if the zkVM accepts the proof for
// our guest, both commitments match, and the proven score equals the claim.
import { existsSync, readFileSync, statSync } from "node:fs";
import { sha256Hex } from "../export/reference.js";
import { runHost, hostArgs } from "./driver.js";
import type { HostRecord } from "./record.js";
import { zkvm } from "./registry.js";
import type { HostServer } from "./server.js";

export interface Claim {
  /** A score as published, e.g. "0.394" or "0.39": it passes when the proven
   *  score rounds to it at the claim's own number of decimals. */
  r2?: string;
  mse?: string;
  mae?: string;
}

export interface VerifyRequest {
  zkvm: string;
  proof: string;
  /** 64 hex digits, or the path of the published model.bin (hashed here). */
  model: string;
  /** 64 hex digits, as published by the data owner. */
  dataCommitment: string;
  claim: Claim;
  timeoutMs?: number;
  /** A long-lived host of this zkVM to verify with (several claims, one setup);
   *  by default a one-shot host process, as a third party runs it. */
  server?: HostServer;
}

export interface VerifyOutcome {
  ok: boolean;
  /** Why it failed, one line each; empty when it passed. */
  reasons: string[];
  /** The proven score in real numbers (null when the proof did not verify). */
  proven: { r2: number | null; mse: number; mae: number; n_samples: number } | null;
  record: HostRecord | null;
}

const HEX_DIGEST = /^[0-9a-f]{64}$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** The request itself is malformed (a flag, a path): nothing was verified. `zkml verify` exits 2. */
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

/** Whether `proven` rounds to `claimed` at the claim's decimals ("0.39" accepts [0.385, 0.395]). */
export function matchesClaim(proven: number, claimed: string): boolean {
  if (!DECIMAL.test(claimed.trim())) throw new VerifyUsageError(`claimed score '${claimed}' is not a decimal number`);
  const decimals = claimed.split(".")[1]?.length ?? 0;
  const half = 0.5 * 10 ** -decimals;
  // A relative epsilon for the binary representation of the decimal claim.
  return Math.abs(proven - Number(claimed)) <= half * (1 + 1e-9);
}

export async function verifyClaim(r: VerifyRequest): Promise<VerifyOutcome> {
  // Every part of the request is checked before the (slow) proof verification.
  const data = r.dataCommitment.toLowerCase();
  if (!HEX_DIGEST.test(data)) throw new VerifyUsageError(`--data-commitment must be 64 hex digits, got '${r.dataCommitment}'`);
  for (const [metric, claimed] of Object.entries(r.claim))
    if (claimed !== undefined && !DECIMAL.test(claimed.trim())) throw new VerifyUsageError(`--${metric} '${claimed}' is not a decimal number`);
  requireFile(r.proof, "proof file");
  const args = hostArgs.verify(r.proof, modelCommitmentOf(r.model), data);
  if (r.server && r.server.zkvm.id !== r.zkvm) throw new Error(`verifyClaim: the server runs ${r.server.zkvm.id}, the claim names ${r.zkvm}`);
  const run = r.server ? await r.server.run(args, { timeoutMs: r.timeoutMs }) : await runHost(zkvm(r.zkvm), args, { timeoutMs: r.timeoutMs });
  const record = run.record;
  if (!record?.ok || run.exitCode !== 0) {
    const why = run.timedOut ? "verification timed out" : (record?.error ?? (run.stderrTail.split("\n").pop() || `host exited ${run.exitCode}`));
    return { ok: false, reasons: [why], proven: null, record };
  }
  if (record.dev_mode) return { ok: false, reasons: ["the host runs in dev mode: its proofs are not real"], proven: null, record };
  const score = record.score!;
  const output = record.public_output as { n_samples: number };
  const proven = { r2: score.r2, mse: score.mse, mae: score.mae, n_samples: output.n_samples };
  const reasons: string[] = [];
  for (const metric of ["r2", "mse", "mae"] as const) {
    const claimed = r.claim[metric];
    if (claimed === undefined) continue;
    const value = proven[metric];
    if (value === null) reasons.push(`claimed ${metric} ${claimed}, but the proven ${metric} is undefined (constant targets)`);
    else if (!matchesClaim(value, claimed)) reasons.push(`claimed ${metric} ${claimed}, but the proof shows ${metric} = ${value}`);
  }
  return { ok: reasons.length === 0, reasons, proven, record };
}
