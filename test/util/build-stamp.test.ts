// dist/ is used only when it was built from src/ as it is now.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { assertCurrentBuild, staleBuildReason, writeBuildStamp } from "../../src/util/build-stamp.js";
import { tempDir } from "../helpers.js";

function project(): string {
  const root = tempDir();
  mkdirSync(join(root, "src", "data"), { recursive: true });
  mkdirSync(join(root, "dist"), { recursive: true });
  writeFileSync(join(root, "src", "index.ts"), "export const a = 1;\n");
  writeFileSync(join(root, "src", "data", "load.ts"), "export const b = 2;\n");
  writeFileSync(join(root, "tsconfig.json"), "{}\n");
  writeFileSync(join(root, "tsconfig.build.json"), "{}\n");
  return root;
}

test("a build is current until a source file's content changes, is added or is removed", () => {
  const root = project();
  assert.match(staleBuildReason(root)!, /no build stamp/);
  writeBuildStamp(root);
  assert.equal(staleBuildReason(root), null);
  writeFileSync(join(root, "src", "data", "load.ts"), "export const b = 2;\n"); // same content, new mtime
  assert.equal(staleBuildReason(root), null);
  writeFileSync(join(root, "src", "data", "load.ts"), "export const b = 3;\n");
  assert.match(staleBuildReason(root)!, /src\/ changed since dist\/ was built/);
  writeBuildStamp(root);
  writeFileSync(join(root, "src", "data", "new.ts"), "export {};\n");
  assert.ok(staleBuildReason(root));
  rmSync(join(root, "src", "data", "new.ts"));
  assert.equal(staleBuildReason(root), null);
  writeFileSync(join(root, "tsconfig.build.json"), '{"compilerOptions":{}}\n');
  assert.ok(staleBuildReason(root), "compiler settings are part of the build");
});

test("the library refuses to load from a stale dist/, and never checks when run from src/", () => {
  const root = project();
  writeBuildStamp(root);
  writeFileSync(join(root, "src", "index.ts"), "export const a = 2;\n");
  const fromDist = pathToFileURL(join(root, "dist", "index.js")).href;
  assert.throws(() => assertCurrentBuild(fromDist, root), /run `npm run build`/);
  assertCurrentBuild(pathToFileURL(join(root, "src", "index.ts")).href, root);
});
