// Fails loudly when an install is incomplete in ways npm does not report:
// nodejs-polars' native binding is an optional dependency that npm skips
// silently when its engine or platform check fails.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
try {
  const pl = require("nodejs-polars");
  pl.DataFrame({ ok: [1] });
} catch (err) {
  console.error(
    "nodejs-polars cannot load its native binding (package nodejs-polars-linux-x64-gnu or your platform's).\n" +
      "npm skips that optional dependency silently when its engines/platform check fails; reinstall with\n" +
      "`npm ci` on Node >= 20 and check `npm ls nodejs-polars-linux-x64-gnu`.\n" +
      String(err),
  );
  process.exit(1);
}
console.log("install check: nodejs-polars native binding loads");
