// `zkml verify`: check a published claim: PASS or FAIL with the reason
import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { ZKVM_IDS } from "../../zkvm/registry.js";
import { MAX_TOLERANCE, MIN_CLAIM_DECIMALS } from "../../zkvm/verdict.js";
import { VerifyUsageError, verdictLines, verifyClaim } from "../../zkvm/verify.js";

interface VerifyFlags {
  zkvm: string;
  proof: string;
  model: string;
  dataCommitment: string;
  r2?: string;
  mse?: string;
  mae?: string;
  tolerance?: string;
  verifier?: string;
  trustedSrs?: string;
}

export function register(program: Command): void {
  program
    .command("verify")
    .description("check a published claim: proof + model commitment + data commitment + claimed score → pass or fail with the reason")
    .addOption(new Option("--zkvm <id>", "the zkVM that made the proof").choices(ZKVM_IDS).makeOptionMandatory())
    .requiredOption("--proof <file>", "the proof file")
    .requiredOption("--model <hex|model.bin>", "the published model's commitment, or the model.bin to hash")
    .requiredOption("--data-commitment <hex>", "the data owner's published test-set commitment")
    .addOption(new Option("--r2 <value>", `claimed R², as published: checked at its own decimals (at least ${MIN_CLAIM_DECIMALS}) or within --tolerance`))
    .addOption(new Option("--mse <value>", "claimed MSE (the same rule)"))
    .addOption(new Option("--mae <value>", "claimed MAE (the same rule)"))
    .addOption(new Option("--tolerance <t>", `accept a claimed score within ± t of the proven one, instead of its decimals (at most ${MAX_TOLERANCE})`))
    .addOption(new Option("--verifier <dir>", "EZKL: the prover's published verifier bundle (default: <proof>.verifier)"))
    .addOption(new Option("--trusted-srs <file>", "EZKL: an SRS you trust (a ceremony's); the proof's setup must be exactly it"))
    // Exit codes: 0 PASS, 1 FAIL (the claim does not hold), 2 a usage error (nothing verified).
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action(async (f: VerifyFlags) => {
      let outcome: Awaited<ReturnType<typeof verifyClaim>>;
      try {
        outcome = await verifyClaim({
          zkvm: f.zkvm,
          proof: resolve(f.proof),
          model: f.model,
          dataCommitment: f.dataCommitment,
          claim: { r2: f.r2, mse: f.mse, mae: f.mae },
          tolerance: f.tolerance,
          hostOptions: {
            ...(f.verifier !== undefined ? { "--verifier": resolve(f.verifier) } : {}),
            ...(f.trustedSrs !== undefined ? { "--trusted-srs": resolve(f.trustedSrs) } : {}),
          },
        });
      } catch (err) {
        if (!(err instanceof VerifyUsageError)) throw err;
        console.error(`zkml verify: ${err.message}`);
        process.exitCode = 2;
        return;
      }
      for (const line of verdictLines(f.zkvm, outcome)) console.log(line);
      if (!outcome.ok) process.exitCode = 1;
    });
}
