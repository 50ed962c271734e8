// Where the project keeps things, found from this file (in src/ under tsx,
// in dist/ when compiled) so the CLI, tests and notebooks agree whatever
// their working directory.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findProjectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find the zkml-bench project root (no package.json above src/)");
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findProjectRoot();
export const DATA_DIR = join(PROJECT_ROOT, "data");
export const GENERATED_DIR = join(DATA_DIR, "generated");
export const OUTPUTS_DIR = join(PROJECT_ROOT, "outputs");
export const SPEC_VECTORS_DIR = join(PROJECT_ROOT, "spec", "vectors");
/** The JSON Schemas of the records (host record, host info, sweep row, tidy row): their one definition. */
export const SPEC_DIR = join(PROJECT_ROOT, "spec");
/** The 1,000-record Kaggle sample beside the repository (tests and benchmarks only). */
export const SHARED_SAMPLE = join(PROJECT_ROOT, "..", "shared", "data", "retail_transactions_sample.csv");
