// The zkVMs zkml-bench knows, as data: adding one that speaks
// guests/PROTOCOL.md is one entry here and one folder under guests/.
import { join } from "node:path";
import { PROJECT_ROOT } from "../paths.js";

export type ZkvmId = "risc0" | "sp1";

export interface ZkvmEntry {
  id: ZkvmId;
  label: string;
  /** Host executable, built by guests/build.sh. */
  binary: string;
  /** Proof kinds the host makes; the first is the default. */
  proofKinds: string[];
}

export const ZKVMS: readonly ZkvmEntry[] = [
  { id: "risc0", label: "RISC Zero", binary: join(PROJECT_ROOT, "guests", "bin", "zkml-risc0-host"), proofKinds: ["composite"] },
  { id: "sp1", label: "SP1", binary: join(PROJECT_ROOT, "guests", "bin", "zkml-sp1-host"), proofKinds: ["core", "compressed"] },
];

export function zkvm(id: string): ZkvmEntry {
  const entry = ZKVMS.find((z) => z.id === id);
  if (!entry) throw new Error(`unknown zkVM '${id}' (known: ${ZKVMS.map((z) => z.id).join(", ")})`);
  return entry;
}
