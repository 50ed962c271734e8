// `zkml data`: load, clean and featurize transactions; write the features and the cleaning report
import { join } from "node:path";
import type { Command } from "commander";
import { OUTPUTS_DIR } from "../../paths.js";
import { dataSummary, prepareData } from "../../pipeline.js";
import { ensureDirectory, writeFileAtomic } from "../../util/fs.js";
import { outOption, withData } from "../common.js";
import { type RawDataFlags, toDataOptions } from "../options.js";

export function register(program: Command): void {
  withData(program.command("data").description("load, clean and featurize transactions; write the features and the cleaning report"))
    .addOption(outOption().default(join(OUTPUTS_DIR, "data")))
    .action((flags: RawDataFlags & { out: string }) => {
      const options = toDataOptions(flags);
      ensureDirectory(flags.out); // before the work: a blocked output path fails now, not after it
      const data = prepareData(options);
      writeFileAtomic(join(flags.out, "features.csv"), data.features.frame.writeCSV().toString());
      writeFileAtomic(join(flags.out, "cleaning-report.json"), JSON.stringify(data.cleaned.report, null, 2) + "\n");
      writeFileAtomic(join(flags.out, "window.json"), JSON.stringify({ window: data.features.window, winsorizing: data.features.winsorizing }, null, 2) + "\n");
      console.log(dataSummary(data));
      console.log(`wrote ${join(flags.out, "features.csv")}, cleaning-report.json and window.json`);
    });
}
