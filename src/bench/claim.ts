// The headline of a paper run: each model's claim (its score on the whole
// private test set) as proven by each zkVM, one row per zkVM, proof kind and
// model, failures included with their reason. A claim proof is bound to the
// published export when its public output carries the export's commitments.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { isCircuit } from "../zkvm/registry.js";
import { headerOf, shown } from "./columns.js";
import type { TidyRow } from "./tidy.js";
import { exportNameOf } from "./workload.js";

/** The commitments a model's published export (export.json) names. */
export interface PublishedClaim {
  model_commitment: string;
  data_commitment: string;
  n: number;
}

/** The exports published under `outDir/export` (one export.json per model), by export name (workload.ts: exportNameOf). */
export function publishedClaims(outDir: string): Record<string, PublishedClaim> {
  const dir = join(outDir, "export");
  const claims: Record<string, PublishedClaim> = {};
  if (!existsSync(dir)) return claims;
  for (const model of readdirSync(dir)) {
    const path = join(dir, model, "export.json");
    if (!existsSync(path)) continue;
    let manifest: { model?: { commitment?: unknown }; test_set?: { commitment?: unknown; n_samples?: unknown } };
    try {
      manifest = JSON.parse(readFileSync(path, "utf8"));
    } catch (err) {
      throw new Error(`${path}: not JSON (${(err as Error).message})`);
    }
    const [model_commitment, data_commitment, n] = [manifest.model?.commitment, manifest.test_set?.commitment, manifest.test_set?.n_samples];
    if (typeof model_commitment !== "string" || typeof data_commitment !== "string" || typeof n !== "number" || !Number.isInteger(n))
      throw new Error(`${path}: not an export manifest (model.commitment, test_set.commitment, test_set.n_samples)`);
    claims[model] = { model_commitment, data_commitment, n };
  }
  return claims;
}

export interface ClaimRow {
  machine: string;
  zkvm: string;
  proof_kind: string;
  model: string;
  n: number;
  ok: boolean;
  /** Why the proof failed (out of memory, timeout, host error); null when it was proven. */
  failure: string | null;
  r2: number | null;
  prove_ms: number | null;
  verify_ms: number | null;
  proof_bytes: number | null;
  peak_rss_bytes: number | null;
  /** The proof's commitments equal the published export's; null when there is no export to compare with. */
  matches_export: boolean | null;
}

/** One row per claim configuration: its latest successful proof, else its latest failure. */
export function claimRows(rows: readonly TidyRow[], published: Readonly<Record<string, PublishedClaim>> = {}): ClaimRow[] {
  const latest = new Map<string, TidyRow>();
  for (const r of rows) {
    if (!r.claim || r.command !== "prove" || r.dev_mode) continue;
    // Builds for other CPUs and pinned core counts are other proofs of the claim.
    const key = [r.machine, r.zkvm, r.host_target_cpu, r.cores_used, r.proof_kind, r.model].join("|");
    const seen = latest.get(key);
    const better = !seen || (r.ok && !seen.ok) || (r.ok === seen.ok && r.started_at > seen.started_at);
    if (better) latest.set(key, r);
  }
  return [...latest.values()].map((r) => {
    const exportName = exportNameOf(r.model);
    const claim = exportName === null ? undefined : published[exportName];
    return {
      machine: r.machine,
      zkvm: r.zkvm,
      proof_kind: r.proof_kind ?? "",
      model: r.model,
      n: r.n,
      ok: r.ok,
      failure: r.ok ? null : (r.failure ?? "failed"),
      r2: r.ok ? r.r2 : null,
      prove_ms: r.ok ? r.prove_ms : null,
      verify_ms: r.ok ? r.verify_ms : null,
      proof_bytes: r.ok ? r.proof_bytes : null,
      peak_rss_bytes: Math.max(r.peak_rss_host_bytes ?? 0, r.peak_rss_external_bytes ?? 0) || null,
      // A circuit commits to the data with its own hash (EZKL: Poseidon), so
      // there only the model commitment and the size can be compared.
      matches_export:
        !r.ok || !claim
          ? null
          : claim.n === r.n && claim.model_commitment === r.model_commitment && (isCircuit(r.zkvm) || claim.data_commitment === r.data_commitment),
    };
  });
}

const seconds = (ms: number) => (ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`);

/** The headline sentence of one proven claim. */
export function claimSentence(c: ClaimRow): string {
  if (!c.ok) return `${c.model} on ${c.n.toLocaleString("en-US")} customers, ${c.zkvm} ${c.proof_kind}: not proven (${c.failure})`;
  const r2 = c.r2 === null ? "R² undefined" : `R² ${c.r2.toFixed(4)}`;
  return (
    `accuracy of ${c.model} on ${c.n.toLocaleString("en-US")} private customers (${r2}): ` +
    `proven in ${seconds(c.prove_ms ?? 0)} on ${c.zkvm} (${c.proof_kind}), verified in ${(c.verify_ms ?? 0).toFixed(1)} ms, ` +
    `proof ${Math.round((c.proof_bytes ?? 0) / 1024)} KiB`
  );
}

/** The claim rows as a table for summary.md. */
export function claimTable(claims: readonly ClaimRow[]): Record<string, string | number | null>[] {
  return claims.map((c) => ({
    machine: c.machine,
    model: c.model,
    "N customers": c.n,
    "proven R²": c.r2 === null ? null : c.r2.toFixed(4),
    zkvm: c.zkvm,
    kind: c.proof_kind,
    result: c.ok ? "proven" : `failed: ${c.failure}`,
    [headerOf("prove_ms")]: shown("prove_ms", c.prove_ms, 1),
    [headerOf("verify_ms")]: shown("verify_ms", c.verify_ms, 1),
    [headerOf("proof_bytes")]: c.proof_bytes === null ? null : Number(shown("proof_bytes", c.proof_bytes, 0)),
    [headerOf("peak_rss_host_bytes")]: c.peak_rss_bytes === null ? null : Number(shown("peak_rss_host_bytes", c.peak_rss_bytes, 0)),
    "= published export": c.matches_export === null ? "–" : c.matches_export ? "yes" : "NO",
  }));
}
