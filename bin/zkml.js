#!/usr/bin/env node
// Runs the compiled CLI (dist/: starts in a fraction of a second) when it was
// built from src/ as it is now; otherwise the TypeScript through tsx, saying
// so, so that a stale build is never run unnoticed.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const stampModule = join(root, "dist", "util", "build-stamp.js");
const stale = existsSync(stampModule) ? (await import(pathToFileURL(stampModule).href)).staleBuildReason(root) : "dist/ is not built";
if (stale === null) {
  await import(pathToFileURL(join(root, "dist", "cli", "main.js")).href);
} else {
  process.stderr.write(`zkml: ${stale}; running from source (slower start; \`npm run build\` makes it fast)\n`);
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli/main.ts");
}
