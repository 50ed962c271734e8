// The JSON record every host prints (guests/PROTOCOL.md), validated against
// its schema: the driver trusts a record only after this check, never a log line.
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { HOST_RECORD_SCHEMA } from "../paths.js";

export interface HostRecord {
  ok: boolean;
  error: string | null;
  /** `serve`: the ready record of a long-lived host, or its answer to a bad request. */
  command: "execute" | "prove" | "verify" | "serve";
  zkvm: string;
  zkvm_version: string;
  proof_kind: string | null;
  sha: "precompile" | "software" | null;
  dev_mode: boolean;
  program_id: string;
  input_bytes: number | null;
  total_cycles: number | null;
  user_cycles: number | null;
  segments: number | null;
  execute_ms: number | null;
  prove_ms: number | null;
  verify_ms: number | null;
  proof_path: string | null;
  proof_bytes: number | null;
  peak_rss_bytes: number;
  /** `process`: the host's whole life; `request`: one request of a long-lived host. */
  peak_rss_scope: "process" | "request";
  setup_ms: number;
  /** Where the setup's keys came from: derived in this process, or the on-disk
   *  key cache (guests/host-common/src/key_cache.rs); null for a zkVM without keys. */
  keys: "generated" | "cache" | null;
  host_ms: number;
  public_output_hex: string | null;
  public_output: Record<string, unknown> | null;
  score: { r2: number | null; mse: number; mae: number } | null;
  /** 0 ok, 1 failed, 2 refused or bad usage: the process's exit code, or what it would be. */
  exit_code: number;
  /** Provers with a setup (EZKL's SRS): what the proof's keys rest on; null for
   *  the zkVMs, whose STARKs need no trusted setup, and for commands without a proof. */
  setup_trust: SetupTrust | null;
}

/** The setup a circuit prover's proof rests on (EZKL: the KZG SRS). */
export interface SetupTrust {
  /** SHA-256 of the SRS file the keys were made with. */
  srs_sha256: string;
  /** Where it came from, as the prover's bundle states it (a generated SRS says it is not a trusted setup),
   *  or, when trusted, that it is byte-identical to the verifier's --trusted-srs file. */
  srs_origin: string;
  /** True only when a verifier checked it against an SRS it trusts (`verify --trusted-srs`). */
  trusted: boolean;
}

// The one definition of the record is spec/host-record.schema.json; the
// interface above is its TypeScript view (test/zkvm.test.ts keeps the two equal).
const ajv = new Ajv({ allErrors: false, strict: true });
const validateRecord = ajv.compile<HostRecord>(JSON.parse(readFileSync(HOST_RECORD_SCHEMA, "utf8")));

/** Bytes 40..72 of the public output: the data commitment (spec/FORMAT.md). */
const DATA_COMMITMENT = [80, 144] as const; // as hex digit offsets

/** The commitment scheme a record's public output uses: SHA-256 (spec/FORMAT.md)
 *  unless the host says otherwise (EZKL: "poseidon", in public_output). */
export function commitmentScheme(r: HostRecord): string {
  const scheme = r.public_output?.commitment_scheme;
  return typeof scheme === "string" ? scheme : "sha256";
}

/** Whether a record's public output is the reference's: byte for byte, except
 *  that a prover with another data commitment (EZKL's Poseidon hash) is compared
 *  on everything else: model commitment, dimensions, the four sums and the score. */
export function matchesReferenceOutput(r: HostRecord, expectedHex: string): boolean | null {
  const got = r.public_output_hex;
  if (!got) return null;
  if (commitmentScheme(r) === "sha256") return got === expectedHex;
  const [from, to] = DATA_COMMITMENT;
  return got.length === expectedHex.length && got.slice(0, from) === expectedHex.slice(0, from) && got.slice(to) === expectedHex.slice(to);
}

export class HostProtocolError extends Error {
  override name = "HostProtocolError";
}

/** Parse and check a host's stdout: exactly one JSON object with every protocol field. */
export function parseHostRecord(stdout: string, source: string): HostRecord {
  let value: unknown;
  try {
    value = JSON.parse(stdout.trim());
  } catch {
    throw new HostProtocolError(`${source}: stdout is not one JSON object: ${JSON.stringify(stdout.slice(0, 200))}`);
  }
  if (validateRecord(value)) return value;
  const e = validateRecord.errors![0];
  const record = value as Record<string, unknown>;
  if (e.keyword === "type" && e.instancePath === "") throw new HostProtocolError(`${source}: the record is not a JSON object`);
  if (e.keyword === "additionalProperties") throw new HostProtocolError(`${source}: unknown field ${e.params.additionalProperty}`);
  const field = e.keyword === "required" ? e.params.missingProperty : e.instancePath.slice(1).split("/")[0];
  throw new HostProtocolError(`${source}: field ${field} is missing or invalid (${JSON.stringify(record[field])}: ${e.message})`);
}
