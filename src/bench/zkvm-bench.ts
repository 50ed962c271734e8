// Benchmark of the zkVM hosts: cycles by input size (execute), and prove /
// verify time, proof size and peak memory (medians of repeated proofs).
// Every host record is appended to a JSON-lines file as it arrives.
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { median } from "simple-statistics";
import { formatTable } from "../cli/table.js";
import type { ModelFamily } from "../model/types.js";
import { runTraining } from "../pipeline.js";
import { runHost } from "../zkvm/host.js";
import type { HostRecord } from "../zkvm/record.js";
import { zkvm } from "../zkvm/registry.js";
import { fileStamp } from "../util/fs.js";
import { sizedInput } from "./sized-input.js";

export interface ZkvmBenchOptions {
  zkvms: string[];
  models: ModelFamily[];
  executeSizes: number[];
  proveSizes: number[];
  runs: number;
  shaModes: ("precompile" | "software")[];
  proofKind?: string;
  fracBits: number;
  out: string;
}

interface Row {
  zkvm: string;
  model: ModelFamily;
  n: number;
  sha: string;
  command: string;
  record: HostRecord;
}

/** Least-squares line cycles = fixed + perSample·n. */
export function fitCycles(points: { n: number; cycles: number }[]): { fixed: number; perSample: number } {
  const mx = points.reduce((s, p) => s + p.n, 0) / points.length;
  const my = points.reduce((s, p) => s + p.cycles, 0) / points.length;
  const sxx = points.reduce((s, p) => s + (p.n - mx) ** 2, 0);
  const perSample = points.reduce((s, p) => s + (p.n - mx) * (p.cycles - my), 0) / sxx;
  return { fixed: my - perSample * mx, perSample };
}

export async function benchZkvms(o: ZkvmBenchOptions): Promise<void> {
  mkdirSync(o.out, { recursive: true });
  const stamp = fileStamp();
  const log = join(o.out, `zkvm-${stamp}.jsonl`);
  const { trained } = runTraining();
  const rows: Row[] = [];
  // One input file per (model, n), shared by every zkVM and by execute and prove.
  const written = new Set<string>();
  const inputFor = (model: ModelFamily, n: number) => {
    const path = join(o.out, `input-${model}-${n}.bin`);
    if (!written.has(path)) {
      writeFileSync(path, sizedInput(trained.models[model], trained.test, trained.target, n, o.fracBits).input);
      written.add(path);
    }
    return path;
  };
  const run = async (z: string, model: ModelFamily, n: number, sha: string, args: string[]) => {
    const result = await runHost(zkvm(z), args);
    if (!result.record || !result.record.ok)
      throw new Error(`${z} ${args[0]} (${model}, n=${n}, ${sha}) failed (exit ${result.exitCode}): ${result.record?.error ?? result.stderrTail}`);
    if (result.record.dev_mode) throw new Error(`${z}: dev mode is on; refusing to record a fake proof`);
    const row = { zkvm: z, model, n, sha, command: args[0], record: result.record };
    rows.push(row);
    appendFileSync(log, JSON.stringify({ ...row, wall_ms: result.wallMs }) + "\n");
    process.stderr.write(`${z} ${args[0]} ${model} n=${n} ${sha}: ${result.record.user_cycles} user cycles` +
      (result.record.prove_ms ? `, prove ${(result.record.prove_ms / 1000).toFixed(1)} s` : "") + "\n");
    return result.record;
  };

  for (const z of o.zkvms)
    for (const model of o.models)
      for (const n of o.executeSizes) {
        const input = inputFor(model, n);
        for (const sha of o.shaModes) await run(z, model, n, sha, ["execute", "--input", input, "--sha", sha]);
      }
  for (const z of o.zkvms)
    for (const model of o.models)
      for (const n of o.proveSizes) {
        const input = inputFor(model, n);
        for (let r = 0; r < o.runs; r++) {
          const args = ["prove", "--input", input, "--proof", join(o.out, `${z}-${model}-${n}.proof`), "--sha", o.shaModes[0]];
          if (o.proofKind) args.push("--kind", o.proofKind);
          await run(z, model, n, o.shaModes[0], args);
        }
      }

  const cycleRows = o.zkvms.flatMap((z) => o.models.flatMap((model) => o.shaModes.map((sha) => {
    const points = rows.filter((r) => r.zkvm === z && r.model === model && r.sha === sha && r.command === "execute")
      .map((r) => ({ n: r.n, cycles: r.record.user_cycles! }));
    const fit = points.length >= 2 ? fitCycles(points) : null;
    return {
      zkvm: z, model, sha, ...Object.fromEntries(points.map((p) => [`user_cycles_n${p.n}`, p.cycles])),
      fixed_cycles: fit ? Math.round(fit.fixed) : null, cycles_per_sample: fit ? +fit.perSample.toFixed(1) : null,
    };
  })));
  const proveRows = o.zkvms.flatMap((z) => o.models.flatMap((model) => o.proveSizes.map((n) => {
    const mine = rows.filter((r) => r.zkvm === z && r.model === model && r.n === n && r.command === "prove").map((r) => r.record);
    const med = (f: (r: HostRecord) => number) => (mine.length ? median(mine.map(f)) : null);
    return {
      zkvm: z, model, n, runs: mine.length, kind: mine[0]?.proof_kind ?? null, total_cycles: mine[0]?.total_cycles ?? null,
      segments: mine[0]?.segments ?? null, prove_ms: med((r) => r.prove_ms!), verify_ms: med((r) => r.verify_ms!),
      proof_bytes: med((r) => r.proof_bytes!), peak_rss_mib: med((r) => r.peak_rss_bytes / 2 ** 20),
    };
  })));
  console.log(formatTable(cycleRows));
  console.log();
  console.log(formatTable(proveRows));
  writeFileSync(join(o.out, `zkvm-${stamp}-summary.json`), JSON.stringify({ cycles: cycleRows, proving: proveRows }, null, 2) + "\n");
  console.log(`\nrecords: ${log}`);
}
