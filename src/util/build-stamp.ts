// The compiled build (dist/) must never run stale code unnoticed: `npm run
// build` stamps dist/ with a digest of src/'s contents, and the CLI launcher
// and the library (when loaded from dist/, as the notebooks do) compare it
// with src/ as it is now. Contents, not mtimes: a fresh clone or a checkout
// touches every file. About 80 small files: a few milliseconds.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const STAMP = "build-stamp.json";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []))
    .sort();
}

/** SHA-256 over every src/**\/*.ts path and content, plus the compiler settings. */
export function sourceDigest(root: string): string {
  const hash = createHash("sha256");
  const src = join(root, "src");
  for (const file of [...sourceFiles(src), join(root, "tsconfig.json"), join(root, "tsconfig.build.json")]) {
    hash.update(relative(root, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}

export function writeBuildStamp(root: string): void {
  writeFileSync(join(root, "dist", STAMP), JSON.stringify({ source_sha256: sourceDigest(root) }) + "\n");
}

/** Why dist/ cannot be used for src/ as it is now, or null when it can. */
export function staleBuildReason(root: string): string | null {
  const stamp = join(root, "dist", STAMP);
  if (!existsSync(stamp)) return "dist/ has no build stamp (not built by `npm run build`)";
  if (!existsSync(join(root, "src"))) return null; // an installed copy without sources: nothing to compare
  const built = (JSON.parse(readFileSync(stamp, "utf8")) as { source_sha256?: string }).source_sha256;
  return built === sourceDigest(root) ? null : "src/ changed since dist/ was built";
}

/** Throws when `moduleUrl` is a module of dist/ and dist/ is stale (the notebooks import dist/index.js). */
export function assertCurrentBuild(moduleUrl: string, root: string): void {
  if (!fileURLToPath(moduleUrl).startsWith(join(root, "dist"))) return;
  const reason = staleBuildReason(root);
  if (reason) throw new Error(`zkml-bench: ${reason}: run \`npm run build\` so the notebooks use the code in src/`);
}
