// The driver measures peak memory with GNU time only where it is GNU time
// (macOS's BSD time takes neither -f nor -o); elsewhere rows hold the host's figure.
import assert from "node:assert/strict";
import { existsSync, writeFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { execa } from "execa";
import { tempDir } from "../helpers.js";

const driver = join(import.meta.dirname, "..", "..", "src", "zkvm", "driver.ts");

async function detected(time: string): Promise<string> {
  const probe = `const d = await import(${JSON.stringify(driver)}); console.log(d.gnuTimeAvailable());`;
  const r = await execa("node", ["--import", "tsx", "--input-type=module", "-e", probe], { env: { ZKML_GNU_TIME: time } });
  return r.stdout.trim();
}

test("GNU time is used only when the time binary says it is GNU time", async () => {
  const dir = tempDir();
  const bsdLike = join(dir, "time");
  writeFileSync(bsdLike, "#!/bin/sh\necho 'usage: time [-al] command' >&2\nexit 1\n"); // what BSD time does with --version
  chmodSync(bsdLike, 0o755);
  assert.equal(await detected(bsdLike), "false");
  assert.equal(await detected(join(dir, "missing")), "false");
  if (process.platform === "linux" && existsSync("/usr/bin/time")) assert.equal(await detected("/usr/bin/time"), "true", "CI installs Debian's GNU time");
});
