// `zkml vectors`: the shared test vectors of spec/FORMAT.md from the TypeScript reference
import type { Command } from "commander";
import { writeVectors } from "../../export/vectors.js";
import { SPEC_VECTORS_DIR } from "../../paths.js";
import { outOption } from "../common.js";

export function register(program: Command): void {
  program
    .command("vectors")
    .description("regenerate the shared test vectors of spec/FORMAT.md from the TypeScript reference")
    .addOption(outOption().default(SPEC_VECTORS_DIR))
    .action((flags: { out: string }) => {
      const vectors = writeVectors(flags.out);
      console.log(`wrote ${vectors.length} vectors to ${flags.out}`);
    });
}
