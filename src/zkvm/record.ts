// The JSON record every host prints (guests/PROTOCOL.md, spec/host-record.schema.json):
// the driver trusts a record only after checking it against its schema, never a log line.
import { type HostRecord, RecordError, checkRecord } from "../spec/records.js";

export type { HostRecord, SetupTrust } from "../spec/records.js";

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

/** Parse and check a host's stdout: exactly one JSON object, a host record of spec/host-record.schema.json. */
export function parseHostRecord(stdout: string, source: string): HostRecord {
  let value: unknown;
  try {
    value = JSON.parse(stdout.trim());
  } catch {
    throw new HostProtocolError(`${source}: stdout is not one JSON object: ${JSON.stringify(stdout.slice(0, 200))}`);
  }
  try {
    return checkRecord("host-record", value, source, "a host built from another checkout: rebuild it (guests/build.sh)");
  } catch (err) {
    if (err instanceof RecordError) throw new HostProtocolError(err.message);
    throw err;
  }
}
