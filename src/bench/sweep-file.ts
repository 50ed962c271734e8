// A sweep's JSON-lines file: one row per finished run (spec/sweep-row.schema.json),
// appended with one write(2) the moment the run ends, so a killed sweep loses
// at most the run in flight. Every line read back is checked against the schema.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { type SweepRow, RecordError, checkRecord, specVersion } from "../spec/records.js";
import { writeFileAtomic } from "../util/fs.js";
import type { SweepSpec } from "./sweep-spec.js";

export type { SweepRow } from "../spec/records.js";

export const SWEEP_SCHEMA = specVersion("sweep-row") as SweepRow["schema"];

export class SweepFileError extends Error {
  override name = "SweepFileError";
}

/** Version 1 rows (before 2026-12-03) left out fields that version 2 requires;
 *  each gets the value readers assumed for its absence then. */
function upgradeV1(row: Record<string, unknown>): Record<string, unknown> {
  const record = row.record as Record<string, unknown> | null | undefined;
  const machine = row.machine as Record<string, unknown> | undefined;
  return {
    ...row,
    schema: 2,
    claim: row.claim ?? false, // rows from before claim proofs
    host_mode: row.host_mode ?? "one-shot", // rows from before long-lived hosts
    server_setup_ms: row.server_setup_ms ?? null,
    host_build: row.host_build ?? null, // rows from before hosts reported their build
    machine: machine && { ...machine, cpu_flags: machine.cpu_flags ?? null },
    record: record && {
      schema: 1,
      ...record,
      keys: record.keys ?? null, // records from before the key cache
      setup_trust: record.setup_trust ?? null, // records from before EZKL's setup was reported
    },
  };
}

/** Version 2 rows (before the workload ladder, 2026-12-03) named the model by
 *  its family; a sweep could only prove poly-ridge at the trainer's default
 *  degree 2 then, so it is the workload poly2. The features were not recorded:
 *  terms stays null. The key is renamed with the model, so a resumed sweep
 *  finds its finished runs. */
function upgradeV2(row: Record<string, unknown>): Record<string, unknown> {
  const family = row.model as string;
  const model = family === "poly-ridge" ? "poly2" : family;
  const key = typeof row.key === "string" ? row.key.replace(`|${family}|`, `|${model}|`) : row.key;
  return { ...row, schema: 3, key, model, family, degree: family === "poly-ridge" ? 2 : 1, terms: null };
}

/** The rows of a sweep file, each checked against its schema (versions 1 and 2
 *  upgraded). A torn last line (the process was killed inside a write) is
 *  dropped and reported through `onTorn`; a bad line elsewhere is an error
 *  naming the file, line and field. */
export function readSweepRows(path: string, onTorn: (message: string) => void = () => {}): SweepRow[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, "utf8").split("\n");
  const rows: SweepRow[] = [];
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    const where = `${path}:${i + 1}`;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(line);
    } catch {
      if (i === lines.length - 1) {
        onTorn(`${where}: dropped a torn last line (a run was killed while writing)`);
        continue;
      }
      throw new SweepFileError(`${where}: not a JSON object: ${JSON.stringify(line.slice(0, 80))}`);
    }
    if (value?.schema === 1) value = upgradeV1(value);
    if (value?.schema === 2) value = upgradeV2(value);
    try {
      rows.push(checkRecord("sweep-row", value, where, "a sweep file written by another zkml-bench; start a new sweep (--name)"));
    } catch (err) {
      throw err instanceof RecordError ? new SweepFileError(err.message) : err;
    }
  }
  return rows;
}

/** Rewrites a sweep file with exactly these rows (after dropping a torn line). */
export function rewriteSweepRows(path: string, rows: readonly SweepRow[]): void {
  writeFileAtomic(path, rows.map((r) => JSON.stringify(r) + "\n").join(""));
}

/** Appends one row: one write(2) of one line, so a kill leaves either the whole row or a torn last line. */
export function appendSweepRow(path: string, row: SweepRow): void {
  appendFileSync(path, JSON.stringify(row) + "\n");
}

/** Writes the spec next to the sweep file, so a sweep's configuration travels with its rows. */
export function writeSweepSpec(file: string, name: string, spec: SweepSpec): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file.replace(/\.jsonl$/, "") + ".spec.json", JSON.stringify({ name, ...spec }, null, 2) + "\n");
}
