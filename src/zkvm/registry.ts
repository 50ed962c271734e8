// The zkVMs zkml-bench knows. Adding one is a folder guests/<id>/ (guest,
// host, its build recipe: guests/build.sh) and one entry in ZKVM_TABLE; what
// else a zkVM has (SDK version, ISA, proof kinds and why any is refused) its
// host says itself (`<host> info`, read by hostInfo).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../paths.js";

/** One entry per prover: its id (the folder under guests/), display name, figure
 *  colour, and kind: a zkVM proves the guest program's execution, a circuit
 *  compiler (EZKL) proves a circuit made from the model (figures compare the two). */
export const ZKVM_TABLE = [
  { id: "risc0", label: "RISC Zero", color: "#4c72b0", kind: "zkvm" },
  { id: "sp1", label: "SP1", color: "#c44e52", kind: "zkvm" },
  { id: "openvm", label: "OpenVM", color: "#dd8452", kind: "zkvm" },
  { id: "ezkl", label: "EZKL", color: "#55a868", kind: "circuit" },
] as const;

export type ProverKind = (typeof ZKVM_TABLE)[number]["kind"];

/** Where guests/build.sh puts the host executables; ZKML_HOSTS_DIR points elsewhere
 *  (hosts built on another checkout, or an empty folder to run as a machine without them). */
export const HOSTS_DIR = process.env.ZKML_HOSTS_DIR || join(PROJECT_ROOT, "guests", "bin");

export type ZkvmId = (typeof ZKVM_TABLE)[number]["id"];
export const ZKVM_IDS: readonly ZkvmId[] = ZKVM_TABLE.map((z) => z.id);

export interface ZkvmEntry {
  id: ZkvmId;
  label: string;
  color: string;
  kind: ProverKind;
  /** Host executable, built by guests/build.sh. */
  binary: string;
}

export const ZKVMS: readonly ZkvmEntry[] = ZKVM_TABLE.map((z) => ({ ...z, binary: join(HOSTS_DIR, `zkml-${z.id}-host`) }));

export function isZkvmId(id: string): id is ZkvmId {
  return (ZKVM_IDS as readonly string[]).includes(id);
}

export function zkvm(id: string): ZkvmEntry {
  const entry = ZKVMS.find((z) => z.id === id);
  if (!entry) throw new Error(`unknown zkVM '${id}' (known: ${ZKVM_IDS.join(", ")})`);
  return entry;
}

/** What a host says of itself (`<host> info`, guests/PROTOCOL.md). */
export interface HostInfo {
  zkvm: string;
  label: string;
  zkvm_version: string;
  isa: string;
  /** The proof kinds it makes, the default first. */
  proof_kinds: { kind: string; what: string }[];
  /** Kinds the zkVM has that cannot be made here, and why. */
  refused_kinds: { kind: string; why: string }[];
  /** How the public output commits to model and data; absent: SHA-256 of
   *  model.bin and testset.bin (spec/FORMAT.md), as every zkVM guest does. */
  commitment_scheme?: string;
  /** Model kinds (spec/FORMAT.md: affine, polynomial) the host refuses, and why; absent: none. */
  refused_model_kinds?: { kind: string; why: string }[];
  /** Options of its `verify` beyond the protocol's (EZKL: where its verifier
   *  bundle is, an SRS the verifier trusts), each with what it does; absent: none. */
  verify_options?: { flag: string; what: string }[];
  build: HostBuild;
}

/** How a host binary was compiled: proofs of hosts built for other CPUs are not comparable. */
export interface HostBuild {
  /** Its rustflags; null for a prover we did not compile (EZKL's wheel). */
  rustflags: string | null;
  /** `-C target-cpu` (native, x86-64-v3, …); null: the architecture's portable baseline. */
  target_cpu: string | null;
  /** SIMD and crypto features the compiler could assume (avx2, avx512f, neon, …). */
  target_features: string[];
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

/** Checks an `info` answer field by field. */
export function parseHostInfo(stdout: string, id: string): HostInfo {
  const bad = (why: string) => new Error(`${id} info: ${why}: ${JSON.stringify(stdout.slice(0, 200))}`);
  let v: unknown;
  try {
    v = JSON.parse(stdout);
  } catch {
    throw bad("not one JSON object");
  }
  const o = v as Record<string, unknown>;
  const isStr = (x: unknown) => typeof x === "string";
  const kinds = (x: unknown, key: string) => Array.isArray(x) && x.every((k) => isStr(k?.kind) && isStr(k?.[key]));
  if (!o || typeof o !== "object") throw bad("not an object");
  for (const f of ["zkvm", "label", "zkvm_version", "isa"]) if (!isStr(o[f])) throw bad(`field ${f} missing`);
  if (!kinds(o.proof_kinds, "what") || !(o.proof_kinds as unknown[]).length) throw bad("proof_kinds is not a non-empty list of {kind, what}");
  if (!kinds(o.refused_kinds, "why")) throw bad("refused_kinds is not a list of {kind, why}");
  if (o.commitment_scheme !== undefined && !isStr(o.commitment_scheme)) throw bad("commitment_scheme is not a string");
  if (o.refused_model_kinds !== undefined && !kinds(o.refused_model_kinds, "why")) throw bad("refused_model_kinds is not a list of {kind, why}");
  const options = o.verify_options;
  if (options !== undefined && !(Array.isArray(options) && options.every((x) => isStr(x?.flag) && isStr(x?.what))))
    throw bad("verify_options is not a list of {flag, what}");
  const build = o.build as Record<string, unknown> | undefined;
  const nullOr = (x: unknown) => x === null || isStr(x);
  if (!build || !nullOr(build.rustflags) || !nullOr(build.target_cpu) || !Array.isArray(build.target_features) || !build.target_features.every(isStr))
    throw bad("build is not {rustflags, target_cpu, target_features}");
  if (o.zkvm !== id) throw bad(`it says it is ${String(o.zkvm)}`);
  return o as unknown as HostInfo;
}

/** The model kinds a host refuses (from its `info`); none for a host not built,
 *  whose runs then fail with the reason "not built". */
export function refusedModelKindsOf(id: string): string[] {
  const z = zkvm(id);
  if (!existsSync(z.binary)) return [];
  return (hostInfo(z).refused_model_kinds ?? []).map((k) => k.kind);
}

/** The proof kinds a zkVM's host makes, the default first (from its `info`). */
export function proofKindsOf(id: string): string[] {
  return hostInfo(zkvm(id)).proof_kinds.map((k) => k.kind);
}
