// The provers zkml-bench knows: one row each in guests/zkvms.json (id, label,
// colour, kind), and a folder guests/<id>/ with the guest, the host and its
// build recipe. Everything else about a prover (SDK version, proof kinds and
// which a claim uses, what it refuses, its memory limits) its host says itself
// (`<host> info`, spec/host-info.schema.json), read by hostInfo.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../paths.js";
import { type HostInfo, RecordError, checkRecord } from "../spec/records.js";

export type { HostBuild, HostInfo, ProofKind, ProveMemory } from "../spec/records.js";

/** A zkVM proves the guest program's execution; a circuit compiler (EZKL)
 *  proves a circuit made from the model (figures compare the two). */
export type ProverKind = "zkvm" | "circuit";

/** One row of the table. */
export interface ZkvmRow {
  /** Its folder under guests/, and `zkml-<id>-host` its host's name. */
  id: string;
  label: string;
  /** Its colour in every figure. */
  color: string;
  kind: ProverKind;
  /** Proves in the quick checks (the tiny preset, notebook 04's headless run). */
  smoke: boolean;
}

export type ZkvmId = string;

export interface ZkvmEntry extends ZkvmRow {
  /** Host executable, built by guests/build.sh. */
  binary: string;
}

/** The table's file; ZKML_ZKVM_TABLE points elsewhere (a test adding a prover). */
export const ZKVM_TABLE_FILE = process.env.ZKML_ZKVM_TABLE || join(PROJECT_ROOT, "guests", "zkvms.json");

/** Where guests/build.sh puts the host executables; ZKML_HOSTS_DIR points elsewhere
 *  (hosts built on another checkout, or an empty folder to run as a machine without them). */
export const HOSTS_DIR = process.env.ZKML_HOSTS_DIR || join(PROJECT_ROOT, "guests", "bin");

function readTable(file: string): ZkvmRow[] {
  const bad = (why: string) => new Error(`${file}: ${why}`);
  let rows: unknown;
  try {
    rows = (JSON.parse(readFileSync(file, "utf8")) as { zkvms?: unknown }).zkvms;
  } catch (err) {
    throw bad(`not readable as JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(rows) || !rows.length) throw bad("no `zkvms` list");
  const ids = new Set<string>();
  rows.forEach((r, i) => {
    const row = r as Partial<ZkvmRow>;
    if (typeof row.id !== "string" || !/^[a-z][a-z0-9-]*$/.test(row.id)) throw bad(`row ${i + 1}: id ${JSON.stringify(row.id)} is not a folder name`);
    if (ids.has(row.id)) throw bad(`row ${i + 1}: id ${row.id} twice`);
    ids.add(row.id);
    if (typeof row.label !== "string" || typeof row.color !== "string") throw bad(`row ${i + 1} (${row.id}): label and color must be strings`);
    if (row.kind !== "zkvm" && row.kind !== "circuit") throw bad(`row ${i + 1} (${row.id}): kind ${JSON.stringify(row.kind)} is not zkvm or circuit`);
    if (typeof row.smoke !== "boolean") throw bad(`row ${i + 1} (${row.id}): smoke must be true or false`);
    const extra = Object.keys(row).filter((k) => !["id", "label", "color", "kind", "smoke"].includes(k));
    if (extra.length) throw bad(`row ${i + 1} (${row.id}): unknown field ${extra[0]}`);
  });
  return rows as ZkvmRow[];
}

export const ZKVM_TABLE: readonly ZkvmRow[] = readTable(ZKVM_TABLE_FILE);
export const ZKVM_IDS: readonly ZkvmId[] = ZKVM_TABLE.map((z) => z.id);
export const ZKVMS: readonly ZkvmEntry[] = ZKVM_TABLE.map((z) => ({ ...z, binary: join(HOSTS_DIR, `zkml-${z.id}-host`) }));

export function isZkvmId(id: string): boolean {
  return ZKVM_IDS.includes(id);
}

export function zkvm(id: string): ZkvmEntry {
  const entry = ZKVMS.find((z) => z.id === id);
  if (!entry) throw new Error(`unknown zkVM '${id}' (known: ${ZKVM_IDS.join(", ")})`);
  return entry;
}

/** A prover's display name (its id when the table does not know it: rows merged from elsewhere). */
export function labelOf(id: string): string {
  return isZkvmId(id) ? zkvm(id).label : id;
}

/** Whether a prover is a circuit compiler in the table (EZKL), not a zkVM. */
export function isCircuit(id: string): boolean {
  return isZkvmId(id) && zkvm(id).kind === "circuit";
}

const infos = new Map<ZkvmId, HostInfo>();

/** The host's `info`, read once per process; throws if the host is not built or answers out of protocol. */
export function hostInfo(z: ZkvmEntry): HostInfo {
  const known = infos.get(z.id);
  if (known) return known;
  const info = readHostInfo(z);
  infos.set(z.id, info);
  return info;
}

/** `<binary> info`, read now (another build of a zkVM's host, for comparisons). */
export function readHostInfo(z: ZkvmEntry): HostInfo {
  let stdout: string;
  try {
    stdout = execFileSync(z.binary, ["info"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    throw new Error(`${z.label} host: \`${z.binary} info\` failed (${(err as Error).message.split("\n")[0]}); build it with guests/build.sh ${z.id}`);
  }
  return parseHostInfo(stdout, z.id);
}

/** Checks an `info` answer against spec/host-info.schema.json, and that it is the host of `id`. */
export function parseHostInfo(stdout: string, id: string): HostInfo {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch {
    throw new Error(`${id} info: not one JSON object: ${JSON.stringify(stdout.slice(0, 200))}`);
  }
  let info: HostInfo;
  try {
    info = checkRecord("host-info", value, `${id} info`, `a host built from another checkout: rebuild it (guests/build.sh ${id})`);
  } catch (err) {
    throw err instanceof RecordError ? new Error(err.message) : err;
  }
  if (info.zkvm !== id) throw new Error(`${id} info: it says it is ${info.zkvm}`);
  return info;
}

/** The model kinds a host refuses (from its `info`); none for a host not built,
 *  whose runs then fail with the reason "not built". */
export function refusedModelKindsOf(id: string): string[] {
  const z = zkvm(id);
  if (!existsSync(z.binary)) return [];
  return hostInfo(z).refused_model_kinds.map((k) => k.kind);
}

/** Whether a host's guest commits with SHA-256 (spec/FORMAT.md), so that proving
 *  with the SHA precompile and without it are two workloads; a prover with its
 *  own commitment (EZKL: Poseidon) ignores the mode. True for a host not built. */
export function hashesWithShaOf(id: string): boolean {
  const z = zkvm(id);
  if (!existsSync(z.binary)) return true;
  return hostInfo(z).commitment_scheme === "sha256";
}

/** Which of a zkVM's proof kinds a sweep asks for: its default (the first its
 *  host lists), those its host marks for a published claim, or all. */
export type KindChoice = "default" | "claim" | "all";

/** The proof kinds a zkVM's host makes, the default first (from its `info`). */
export function proofKindsOf(id: string, choice: KindChoice = "all"): string[] {
  const kinds = hostInfo(zkvm(id)).proof_kinds;
  const chosen = choice === "default" ? kinds.slice(0, 1) : choice === "claim" ? kinds.filter((k) => k.claim) : kinds;
  return chosen.map((k) => k.kind);
}

/** Why a proof of `n` samples of a model (its kind and weighted terms per
 *  sample) will not fit in `ramBytes`, from the host's stated memory growth
 *  (`prove_memory`), or null when it fits or the host states no limit for such
 *  a model (or is not built: the run then fails saying so). Steps stated for
 *  at most T terms hold for a model of T or fewer; the tightest class is used. */
export function memoryLimitOf(id: string, model: { kind: string; terms: number }, n: number, ramBytes: number): string | null {
  const z = zkvm(id);
  if (!existsSync(z.binary)) return null;
  const memory = hostInfo(z).prove_memory;
  if (!memory) return null;
  const ofKind = memory.steps.filter((s) => s.model_kind === model.kind && (s.terms === undefined || s.terms >= model.terms));
  const tightest = Math.min(...ofKind.map((s) => s.terms ?? Number.POSITIVE_INFINITY));
  const steps = ofKind.filter((s) => (s.terms ?? Number.POSITIVE_INFINITY) === tightest).sort((a, b) => a.max_samples - b.max_samples);
  if (!steps.length) return null;
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  const step = steps.find((s) => n <= s.max_samples);
  const machine = `this machine has ${gib(ramBytes)}`;
  if (!step) {
    const last = steps[steps.length - 1];
    return `its proof of ${n} samples needs more than ${gib(last.peak_bytes)} (its info states sizes up to ${last.max_samples}), ${machine}: ${memory.what}`;
  }
  if (step.peak_bytes <= ramBytes) return null;
  return `its proof of ${n} samples needs about ${gib(step.peak_bytes)}, ${machine}: ${memory.what}`;
}
