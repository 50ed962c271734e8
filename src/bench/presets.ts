// Named sweeps. `paper` is what `npm run paper` runs: sized to finish in about
// half an hour on a 2-core machine; the flags of `zkml sweep` make bigger ones.
import { DEFAULT_FRAC_BITS } from "../export/write.js";
import { ZKVM_IDS } from "../zkvm/registry.js";
import type { SweepSpec } from "./sweep.js";

const MINUTE = 60_000;

export const SWEEP_PRESETS: Record<string, SweepSpec> = {
  /** Cycle counts of both models with and without the SHA precompile, then
   *  three timed proofs per size. No separate warm-up: the executes before the
   *  proofs already load each host binary and input. */
  paper: {
    zkvms: [...ZKVM_IDS],
    execute: { models: ["ridge", "poly-ridge"], sizes: [10, 100, 1000, 10_000], sha: ["precompile", "software"] },
    prove: { models: ["ridge"], sizes: [10, 100, 1000], sha: ["precompile"], repetitions: 3 },
    warmup: false,
    timeoutMs: 30 * MINUTE,
    fracBits: DEFAULT_FRAC_BITS,
  },
  /** A few minutes: CI and notebook 05's headless run. Every zkVM executes;
   *  only RISC Zero proves (the shortest setup; the host tests prove on all). */
  tiny: {
    zkvms: [...ZKVM_IDS],
    execute: { models: ["ridge", "poly-ridge"], sizes: [10, 100], sha: ["precompile", "software"] },
    prove: {
      models: ["ridge"],
      sizes: [10],
      sha: ["precompile"],
      kinds: Object.fromEntries(ZKVM_IDS.filter((id) => id !== "risc0").map((id) => [id, []])),
      repetitions: 2,
    },
    warmup: false,
    timeoutMs: 10 * MINUTE,
    fracBits: DEFAULT_FRAC_BITS,
  },
};

export function sweepPreset(name: string): SweepSpec {
  const spec = SWEEP_PRESETS[name];
  if (!spec) throw new Error(`unknown sweep preset '${name}' (known: ${Object.keys(SWEEP_PRESETS).join(", ")})`);
  return structuredClone(spec);
}
