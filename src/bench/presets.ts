// Named sweeps. `paper` is what `npm run paper` runs: the timed sizes and the
// claim, sized to fit 45 min on a 2-core machine (README: measured end to end);
// `tiny` is CI's, `full` a big machine's; the flags of `zkml sweep` make others.
import { DEFAULT_FRAC_BITS } from "../export/write.js";
import { ZKVM_IDS } from "../zkvm/registry.js";
import type { SweepSpec } from "./sweep.js";

const MINUTE = 60_000;

export const SWEEP_PRESETS: Record<string, SweepSpec> = {
  /** Cycle counts of both models with and without the SHA precompile, then
   *  two timed proofs per size, then the claim. No separate warm-up: the
   *  executes before the proofs already load each host binary and input.
   *  Cut to fit 45 min on 2 cores (the claim alone is 24 min, RISC Zero's 14):
   *  n = 10 (on RISC Zero the same padded trace as n = 100, on SP1 and OpenVM
   *  within 5%) and the third repetition; `--prove-sizes
   *  10,100,1000 --reps 3` puts both back (54 min measured). */
  paper: {
    zkvms: [...ZKVM_IDS],
    execute: { models: ["ridge", "poly-ridge"], sizes: [10, 100, 1000, 10_000], sha: ["precompile", "software"] },
    prove: { models: ["ridge"], sizes: [100, 1000], sha: ["precompile"], repetitions: 2 },
    // The headline: the ridge model's score on the whole test set, proven once
    // per zkVM; SP1 also as its compressed (one recursive) proof.
    claim: {
      models: ["ridge"],
      kinds: { sp1: ["core", "compressed"] },
      leftOut: {
        ezkl:
          "its circuit has 328 rows per sample, padded to a power of two, and its memory grows with them (10.3 GiB and 12 min of setup at n = 1,000: 2^19 rows); " +
          "the default data's 5,813 customers need 2^21 rows, about 41 GiB, beyond a 24 GiB machine (`--claim-all` asks it anyway)",
      },
    },
    warmup: false,
    timeoutMs: 30 * MINUTE,
    fracBits: DEFAULT_FRAC_BITS,
  },
  /** The largest sizes: one proof per size up to n = 100,000, every proof kind
   *  (SP1 compressed, OpenVM's aggregated STARK), and the claim on every prover.
   *  A run that does not fit in memory or in its 6 hours is recorded as a
   *  failed row with the reason (out of memory, timeout); the rest go on.
   *  Not run on the 2-core machine: README's "full preset" has the estimate. */
  full: {
    zkvms: [...ZKVM_IDS],
    execute: { models: ["ridge", "poly-ridge"], sizes: [10, 100, 1000, 10_000, 100_000], sha: ["precompile", "software"] },
    prove: {
      models: ["ridge"],
      sizes: [10, 100, 1000, 10_000, 100_000],
      sha: ["precompile"],
      kinds: { sp1: ["core", "compressed"], openvm: ["app", "stark"] },
      repetitions: 1,
    },
    claim: { models: ["ridge"], kinds: { sp1: ["core", "compressed"], openvm: ["app", "stark"] } },
    warmup: false,
    timeoutMs: 360 * MINUTE,
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
