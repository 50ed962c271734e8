// The long-lived host client against the real RISC Zero host: one process for
// many requests, per-request records and exit codes, and a time-out that kills
// the process, fails that request and starts a fresh one for the next.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { writeGeneratedCsv } from "../../src/data/generate.js";
import { buildExport } from "../../src/export/write.js";
import { runTraining } from "../../src/pipeline.js";
import { hostArgs, hostBuilt } from "../../src/zkvm/driver.js";
import { zkvm } from "../../src/zkvm/registry.js";
import { HostServer } from "../../src/zkvm/server.js";
import { tempDir } from "../helpers.js";

const risc0 = zkvm("risc0");
const required = (process.env.ZKML_REQUIRE_ZKVMS ?? "").split(",").includes("risc0");
const skip = hostBuilt(risc0) || required ? false : "RISC Zero host not built (guests/build.sh risc0)";

test("a long-lived host answers many requests, and is restarted after a time-out", { skip }, async () => {
  const dir = tempDir();
  const csv = join(dir, "small.csv");
  writeGeneratedCsv(csv, { transactions: 1500, seed: 11 });
  const { trained } = runTraining({ input: csv });
  const input = join(dir, "input.bin");
  const bundle = buildExport(trained.models.ridge, trained.test, trained.target, 16);
  writeFileSync(input, bundle.input);

  const server = new HostServer(risc0);
  try {
    const first = await server.run(hostArgs.execute(input));
    assert.equal(first.exitCode, 0, first.record?.error ?? first.stderrTail);
    assert.ok(first.setupMs! > 0, "the first request started the process and reports its setup");
    assert.equal(first.record!.peak_rss_scope, "request");
    const second = await server.run(hostArgs.execute(input, "software"));
    assert.equal(second.setupMs, null, "the second request reused the process");
    assert.equal(second.record!.public_output_hex, first.record!.public_output_hex);
    assert.ok(second.wallMs >= second.record!.host_ms);

    const missing = await server.run(hostArgs.execute(join(dir, "nope.bin")));
    assert.equal(missing.exitCode, 1);
    assert.match(missing.record!.error!, /nope\.bin/);
    const unknown = await server.run(["execute", "--bogus"]);
    assert.equal(unknown.exitCode, 2);
    assert.match(unknown.record!.error!, /bad request/);
    assert.equal(server.starts, 1);

    const slow = await server.run(hostArgs.prove({ input, proof: join(dir, "slow.proof") }), { timeoutMs: 1000 });
    assert.ok(slow.timedOut);
    assert.equal(slow.record, null);
    const after = await server.run(hostArgs.execute(input));
    assert.equal(after.exitCode, 0);
    assert.ok(after.setupMs! > 0);
    assert.equal(server.starts, 2, "a fresh process after the time-out");
  } finally {
    await server.close();
  }
});
