// `zkml build`: build the zkVM guests and hosts
import { Argument, type Command } from "commander";
import { buildHosts } from "../../zkvm/driver.js";
import { ZKVM_IDS } from "../../zkvm/registry.js";

export function register(program: Command): void {
  program
    .command("build")
    .description("build the zkVM guests and hosts (incremental; cargo caches under ~/.cache/zkml-bench)")
    .addArgument(new Argument("[zkvms...]", "zkVMs to build (default: all)").choices(ZKVM_IDS))
    .action(async (ids: string[]) => {
      await buildHosts(ids.length ? ids : [...ZKVM_IDS]);
    });
}
