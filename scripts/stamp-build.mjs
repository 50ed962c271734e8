// After `tsc`: stamp dist/ with the digest of the sources it was built from (src/util/build-stamp.ts).
import { writeBuildStamp } from "../dist/util/build-stamp.js";

writeBuildStamp(process.cwd());
