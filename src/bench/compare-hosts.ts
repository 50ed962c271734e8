// Prove time of several builds of one zkVM's host (another build profile,
// other CPU flags), measured in one run and interleaved (A B A B …), so the
// machine's drift and noise fall on every build alike. A build change that
// must not slow proving down is checked with this, not with a timed test.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { median } from "simple-statistics";
import type { TrainedModels } from "../model/train.js";
import type { ModelFamily } from "../model/types.js";
import { hostArgs, runFailure, runHost } from "../zkvm/driver.js";
import { readHostInfo, zkvm } from "../zkvm/registry.js";
import { sizedInput } from "./sized-input.js";

export interface CompareHostsSpec {
  zkvm: string;
  /** Host executables to compare; the first is the baseline of the ratios. */
  binaries: string[];
  model: ModelFamily;
  n: number;
  repetitions: number;
  kind?: string;
  fracBits: number;
  timeoutMs: number;
}

export interface CompareHostsRow {
  binary: string;
  /** The build's `-C target-cpu` (baseline: none) and the features its compiler could assume, from its `info`. */
  "target cpu": string;
  features: string;
  reps: number;
  "prove s median": number;
  "prove s min": number;
  "prove s max": number;
  "verify ms median": number;
  "vs first": number;
  cycles: number;
}

export async function compareHosts(spec: CompareHostsSpec, trained: TrainedModels, log: (line: string) => void = () => {}): Promise<CompareHostsRow[]> {
  const base = zkvm(spec.zkvm);
  const binaries = spec.binaries.map((b) => resolve(b));
  for (const b of binaries) if (!existsSync(b)) throw new Error(`host binary not found: ${b}`);
  if (spec.repetitions < 1) throw new Error(`repetitions must be at least 1, got ${spec.repetitions}`);
  const builds = binaries.map((binary) => readHostInfo({ ...base, binary }).build);
  const dir = mkdtempSync(join(tmpdir(), "zkml-compare-"));
  try {
    const input = join(dir, "input.bin");
    const bundle = sizedInput(trained.models[spec.model], trained.test, trained.target, spec.n, spec.fracBits);
    writeFileSync(input, bundle.input);
    const times = binaries.map(() => ({ prove: [] as number[], verify: [] as number[], cycles: 0 }));
    for (let rep = 1; rep <= spec.repetitions; rep++) {
      for (const [i, binary] of binaries.entries()) {
        const run = await runHost({ ...base, binary }, hostArgs.prove({ input, proof: join(dir, `${i}.proof`), kind: spec.kind }), {
          timeoutMs: spec.timeoutMs,
        });
        const failure = runFailure(run);
        if (failure) throw new Error(`${binary}: ${failure}`);
        const r = run.record!;
        if (r.dev_mode) throw new Error(`${binary}: runs in dev mode; its proofs are not real`);
        times[i].prove.push(r.prove_ms!);
        times[i].verify.push(r.verify_ms!);
        times[i].cycles = r.total_cycles ?? 0;
        log(`rep ${rep}/${spec.repetitions} ${binary}: prove ${(r.prove_ms! / 1000).toFixed(2)} s`);
      }
    }
    const baseline = median(times[0].prove);
    return binaries.map((binary, i) => ({
      binary,
      "target cpu": builds[i].target_cpu ?? "baseline",
      features: builds[i].target_features.join(","),
      reps: spec.repetitions,
      "prove s median": median(times[i].prove) / 1000,
      "prove s min": Math.min(...times[i].prove) / 1000,
      "prove s max": Math.max(...times[i].prove) / 1000,
      "verify ms median": median(times[i].verify),
      "vs first": +(median(times[i].prove) / baseline).toFixed(3),
      cycles: times[i].cycles,
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
