// Every record that crosses a process or a file is checked against its JSON
// Schema in spec/ (ajv) before it is used: a host's record and `info`, a sweep
// file's lines. The schema's `schema` constant is the record's version; a
// record of another version is refused with a message that says so, before any
// field is looked at.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { SPEC_DIR } from "../paths.js";
import type { HostInfo, HostRecord, SweepRow, TidyRow } from "./types.generated.js";

export type { HostBuild, HostInfo, HostRecord, MachineInfo, ProofKind, ProveMemory, SetupTrust, SweepRow, TidyRow } from "./types.generated.js";

/** The records, by schema file name (spec/<name>.schema.json), with their types. */
export interface SpecRecordTypes {
  "host-record": HostRecord;
  "host-info": HostInfo;
  "sweep-row": SweepRow;
  "tidy-row": TidyRow;
}
export type SpecRecordName = keyof SpecRecordTypes;
export const SPEC_RECORDS: readonly SpecRecordName[] = ["host-record", "host-info", "sweep-row", "tidy-row"];

export interface Schema {
  title: string;
  description: string;
  required: string[];
  properties: Record<string, { const?: unknown; description?: string; unit?: string }>;
}

const schemas = Object.fromEntries(
  SPEC_RECORDS.map((name) => [name, JSON.parse(readFileSync(join(SPEC_DIR, `${name}.schema.json`), "utf8")) as Schema]),
) as Record<SpecRecordName, Schema>;

// `unit` annotates a column of the tidy row (src/bench/columns.ts reads it).
const ajv = new Ajv({ allErrors: false, strict: true });
ajv.addKeyword({ keyword: "unit", schemaType: "string" });
for (const name of SPEC_RECORDS) ajv.addSchema(schemas[name]);
// ajv compiles each schema once, on first use, and keeps it.
const validator = (name: SpecRecordName): ValidateFunction => ajv.getSchema(`${name}.schema.json`)!;

/** A record's schema, as spec/ declares it. */
export function specSchema(name: SpecRecordName): Schema {
  return schemas[name];
}

/** The version a record of this kind must carry (its schema's `schema` constant). */
export function specVersion(name: SpecRecordName): number {
  return schemas[name].properties.schema.const as number;
}

export class RecordError extends Error {
  override name = "RecordError";
}

/** `value` as a record of `name`, or a RecordError naming `source`, the
 *  version or the first field that is missing, unknown or invalid. */
export function checkRecord<N extends SpecRecordName>(name: N, value: unknown, source: string, hint = ""): SpecRecordTypes[N] {
  const title = schemas[name].title;
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new RecordError(`${source}: not a JSON object (a ${title})`);
  const version = (value as { schema?: unknown }).schema;
  const expected = specVersion(name);
  if (version !== expected)
    throw new RecordError(
      `${source}: ${version === undefined ? "no schema version" : `schema version ${JSON.stringify(version)}`}; this zkml-bench reads ${title} version ${expected} (spec/${name}.schema.json)${hint ? `: ${hint}` : ""}`,
    );
  const validate = validator(name);
  if (validate(value)) return value as SpecRecordTypes[N];
  throw new RecordError(`${source}: ${describeError(mostTelling(validate.errors!), value)} (spec/${name}.schema.json)`);
}

/** Of a failed `oneOf [null, object]`, ajv lists "must be null" first: the
 *  error inside the object branch says more. */
function mostTelling(errors: ErrorObject[]): ErrorObject {
  const telling = errors.filter((e) => e.keyword !== "oneOf" && !(e.keyword === "type" && e.params.type === "null"));
  return telling[0] ?? errors[0];
}

/** One ajv error in words: which field, what is wrong, the value found. */
function describeError(e: ErrorObject, value: unknown): string {
  const path = e.instancePath.split("/").slice(1);
  if (e.keyword === "additionalProperties") return `unknown field ${[...path, e.params.additionalProperty].join(".")}`;
  if (e.keyword === "required") return `field ${[...path, e.params.missingProperty].join(".")} is missing`;
  let found: unknown = value;
  for (const key of path) found = (found as Record<string, unknown> | null)?.[key];
  return `field ${path.join(".") || "(the record)"} is invalid (${JSON.stringify(found)?.slice(0, 120)}: ${e.message})`;
}
