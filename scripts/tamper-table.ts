// The tamper table: every way we know to stretch a verdict, tried with real
// proofs on every built prover, by the host's own `verify` and by `zkml verify`
// (one process each, as a third party runs them). Prints a markdown table;
// any altered proof that passes, or honest one that fails, exits 1.
//   node --import tsx scripts/tamper-table.ts [--n 18] [--zkvm risc0,sp1,openvm,ezkl]
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { execa } from "execa";
import { writeGeneratedCsv } from "../src/data/generate.js";
import { encodePublicOutput, scoreOf } from "../src/export/reference.js";
import { buildExport } from "../src/export/write.js";
import { PROJECT_ROOT } from "../src/paths.js";
import { runTraining } from "../src/pipeline.js";
import { hostArgs, hostBuilt, runHost } from "../src/zkvm/driver.js";
import { ZKVMS, type ZkvmEntry } from "../src/zkvm/registry.js";

const { values } = parseArgs({ options: { n: { type: "string", default: "18" }, zkvm: { type: "string" } } });
const n = Number(values.n);
const wanted = values.zkvm?.split(",");
const provers = ZKVMS.filter((z) => hostBuilt(z) && (!wanted || wanted.includes(z.id)));
const dir = mkdtempSync(join(tmpdir(), "zkml-tamper-"));

// One small real claim: ridge on a generated log's first n test customers; the
// same model on the next n customers (another test set); linear on the first n (another model).
const csv = join(dir, "log.csv");
writeGeneratedCsv(csv, { transactions: 3000, seed: 11 });
const { trained } = runTraining({ input: csv });
const rows = (from: number) => ({
  x: trained.test.x.slice(from, from + n),
  y: trained.test.y.slice(from, from + n),
  customerIds: trained.test.customerIds.slice(from, from + n),
});
const exports = {
  honest: buildExport(trained.models.ridge, rows(0), trained.target),
  otherData: buildExport(trained.models.ridge, rows(n), trained.target),
  otherModel: buildExport(trained.models.linear, rows(0), trained.target),
};
for (const [name, e] of Object.entries(exports)) {
  writeFileSync(join(dir, `${name}.input.bin`), e.input);
  writeFileSync(join(dir, `${name}.testset.bin`), e.testSet);
}
writeFileSync(join(dir, "model.bin"), exports.honest.model);
const claimedR2 = scoreOf(exports.honest.output).r2!.toFixed(4);

/** The data owner's published commitment: SHA-256 of testset.bin, or the circuit's own hash (EZKL: `commit`). */
function dataCommitment(z: ZkvmEntry): string {
  if (z.kind !== "circuit") return exports.honest.output.dataCommitment;
  const out = execFileSync(z.binary, ["commit", "--testset", join(dir, "honest.testset.bin")], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return JSON.parse(out).data_commitment;
}

function flipped(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] ^= 0x01;
  return copy;
}

interface Case {
  name: string;
  proof: string;
  /** EZKL: the verifier bundle published with the proof (a tampered file is checked against the honest proof's). */
  bundle?: string;
}

const proofPath = (z: ZkvmEntry, name: string) => join(dir, `${z.id}.${name}.proof`);
const table: string[] = ["| prover | case | host verify | host's reason | `zkml verify` | its verdict |", "|---|---|---|---|---|---|"];
let wrong = 0;

for (const z of provers) {
  process.stderr.write(`${z.label}: proving ${Object.keys(exports).join(", ")} (n = ${n})\n`);
  for (const name of Object.keys(exports)) {
    const run = await runHost(z, hostArgs.prove({ input: join(dir, `${name}.input.bin`), proof: proofPath(z, name) }));
    if (run.exitCode !== 0) throw new Error(`${z.id} ${name}: ${run.record?.error ?? run.stderrTail}`);
  }
}

// Every proof first, so each prover is also shown another's proof.
for (const z of provers) {
  process.stderr.write(`${z.label}: verifying each case with its host and with zkml verify\n`);
  const honest = proofPath(z, "honest");
  const bytes = readFileSync(honest);
  const circuit = z.kind === "circuit";
  const honestBundle = circuit ? `${honest}.verifier` : undefined;
  const variant = (name: string, content: Buffer): Case => {
    if (content.equals(bytes)) throw new Error(`${z.id} ${name}: the altered proof is the honest one`);
    const path = proofPath(z, name);
    writeFileSync(path, content);
    return { name, proof: path, bundle: honestBundle };
  };
  const cases: Case[] = [{ name: "honest", proof: honest, bundle: honestBundle }];
  // Five flips spread over the file (seeded by position, so every run flips the same bytes).
  for (const k of [1, 2, 3, 4, 5])
    cases.push(variant(`byte ${Math.floor((bytes.length * k) / 6)} flipped`, flipped(bytes, Math.floor((bytes.length * k) / 6))));
  cases.push(variant("truncated to half", bytes.subarray(0, Math.floor(bytes.length / 2))));
  cases.push(variant("16 bytes appended", Buffer.concat([bytes, Buffer.alloc(16)])));
  cases.push(variant("the proof twice", Buffer.concat([bytes, bytes])));
  cases.push({ name: "another test set's proof", proof: proofPath(z, "otherData"), bundle: circuit ? `${proofPath(z, "otherData")}.verifier` : undefined });
  cases.push({ name: "another model's proof", proof: proofPath(z, "otherModel"), bundle: circuit ? `${proofPath(z, "otherModel")}.verifier` : undefined });
  // The public output: the zkVMs' files hold its 168 bytes (byte 150 is in R²);
  // EZKL's holds the proven sums as hex field elements in its header: the second instance is the SSE.
  const changedOutput = circuit
    ? Buffer.from(
        bytes.toString("latin1").replace(/("instances": \["[0-9a-f]+", ")(.)/, (_m, head, c) => `${head}${c === "0" ? "1" : "0"}`),
        "latin1",
      )
    : flipped(bytes, bytes.indexOf(encodePublicOutput(exports.honest.output)) + 150);
  cases.push(variant("changed public output", changedOutput));
  const other = provers.find((o) => o.id !== z.id);
  if (other) cases.push({ name: `${other.label}'s proof`, proof: proofPath(other, "honest") });
  if (z.id === "risc0") {
    const fake = proofPath(z, "dev-mode");
    const run = await runHost(z, hostArgs.prove({ input: join(dir, "honest.input.bin"), proof: fake }), { env: { RISC0_DEV_MODE: "1" } });
    if (run.exitCode !== 0 || !run.record?.dev_mode) throw new Error(`risc0 dev-mode proof: ${run.record?.error ?? run.stderrTail}`);
    cases.push({ name: "dev-mode receipt (RISC0_DEV_MODE=1 at the verifier too)", proof: fake });
  }

  const data = dataCommitment(z);
  for (const c of cases) {
    if (other && c.proof === proofPath(other, "honest") && circuit) c.bundle = honestBundle;
    const extra = c.bundle ? ["--verifier", c.bundle] : [];
    const env: Record<string, string> = c.name.startsWith("dev-mode") ? { RISC0_DEV_MODE: "1" } : {};
    const host = await runHost(z, [...hostArgs.verify(c.proof, exports.honest.output.modelCommitment, data), ...extra], { env });
    const cli = await execa(
      "node",
      [
        join(PROJECT_ROOT, "bin", "zkml.js"),
        "verify",
        "--zkvm",
        z.id,
        "--proof",
        c.proof,
        "--model",
        join(dir, "model.bin"),
        "--data-commitment",
        data,
        "--r2",
        claimedR2,
        ...extra,
      ],
      { reject: false, env },
    );
    const verdict = cli.stdout.split("\n").find((l) => /^(PASS|FAIL)/.test(l)) ?? cli.stderr.split("\n").pop() ?? "";
    const shouldPass = c.name === "honest";
    if ((host.exitCode === 0) !== shouldPass || (cli.exitCode === 0) !== shouldPass) wrong++;
    const cell = (s: string) => s.replace(/\|/g, "\\|").slice(0, 160);
    table.push(`| ${z.label} | ${c.name} | ${host.exitCode} | ${cell(host.record?.error ?? "—")} | ${cli.exitCode} | ${cell(verdict)} |`);
  }
}

console.log(`Tamper table: n = ${n}, claimed R² ${claimedR2}, ${new Date().toISOString().slice(0, 10)}; exit codes 0 PASS, 1 FAIL.\n`);
console.log(table.join("\n"));
console.log(`\n${wrong === 0 ? "every altered proof FAILed and every honest one PASSed" : `${wrong} case(s) with the wrong verdict`}`);
process.exitCode = wrong === 0 ? 0 : 1;
