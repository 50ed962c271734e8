// The JSON record every host prints (guests/PROTOCOL.md), validated field by
// field: the driver trusts a record only after this check, never a log line.

export interface HostRecord {
  ok: boolean;
  error: string | null;
  command: "execute" | "prove" | "verify";
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
  setup_ms: number;
  host_ms: number;
  public_output_hex: string | null;
  public_output: Record<string, unknown> | null;
  score: { r2: number | null; mse: number; mae: number } | null;
}

type Check = (v: unknown) => boolean;
const isNumber: Check = (v) => typeof v === "number" && Number.isFinite(v);
const isString: Check = (v) => typeof v === "string";
const isBool: Check = (v) => typeof v === "boolean";
const isObject: Check = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
const nullable = (c: Check): Check => (v) => v === null || c(v);
const oneOf = (...values: unknown[]): Check => (v) => values.includes(v);

const FIELDS: Record<keyof HostRecord, Check> = {
  ok: isBool, error: nullable(isString), command: oneOf("execute", "prove", "verify"), zkvm: isString, zkvm_version: isString,
  proof_kind: nullable(isString), sha: oneOf("precompile", "software", null), dev_mode: isBool, program_id: isString,
  input_bytes: nullable(isNumber), total_cycles: nullable(isNumber), user_cycles: nullable(isNumber), segments: nullable(isNumber),
  execute_ms: nullable(isNumber), prove_ms: nullable(isNumber), verify_ms: nullable(isNumber), proof_path: nullable(isString),
  proof_bytes: nullable(isNumber), peak_rss_bytes: isNumber, setup_ms: isNumber, host_ms: isNumber, public_output_hex: nullable(isString), public_output: nullable(isObject),
  score: nullable(isObject),
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
