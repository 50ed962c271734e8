// The JSON record every host prints (guests/PROTOCOL.md), validated field by
// field: the driver trusts a record only after this check, never a log line.

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
  host_ms: number;
  public_output_hex: string | null;
  public_output: Record<string, unknown> | null;
  score: { r2: number | null; mse: number; mae: number } | null;
  /** 0 ok, 1 failed, 2 refused or bad usage: the process's exit code, or what it would be. */
  exit_code: number;
}

type Check = (v: unknown) => boolean;
const isNumber: Check = (v) => typeof v === "number" && Number.isFinite(v);
const isString: Check = (v) => typeof v === "string";
const isBool: Check = (v) => typeof v === "boolean";
const isObject: Check = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
const nullable = (c: Check): Check => (v) => v === null || c(v);
const oneOf = (...values: unknown[]): Check => (v) => values.includes(v);

const FIELDS: Record<keyof HostRecord, Check> = {
  ok: isBool, error: nullable(isString), command: oneOf("execute", "prove", "verify", "serve"), zkvm: isString, zkvm_version: isString,
  proof_kind: nullable(isString), sha: oneOf("precompile", "software", null), dev_mode: isBool, program_id: isString,
  input_bytes: nullable(isNumber), total_cycles: nullable(isNumber), user_cycles: nullable(isNumber), segments: nullable(isNumber),
  execute_ms: nullable(isNumber), prove_ms: nullable(isNumber), verify_ms: nullable(isNumber), proof_path: nullable(isString),
  proof_bytes: nullable(isNumber), peak_rss_bytes: isNumber, peak_rss_scope: oneOf("process", "request"), setup_ms: isNumber, host_ms: isNumber, public_output_hex: nullable(isString), public_output: nullable(isObject),
  score: nullable(isObject), exit_code: oneOf(0, 1, 2),
};

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
  if (!isObject(value)) throw new HostProtocolError(`${source}: the record is not a JSON object`);
  const record = value as Record<string, unknown>;
  for (const [field, check] of Object.entries(FIELDS))
    if (!(field in record) || !check(record[field]))
      throw new HostProtocolError(`${source}: field ${field} is missing or invalid (${JSON.stringify(record[field])})`);
  return record as unknown as HostRecord;
}
