#!/usr/bin/env node
// The okta-directory command line. Its source is TypeScript (js/src/cli/, type-checked under strict), built
// into dist/cli/ with the SDK; this file only starts it, or says the build is missing.
const entry = "../dist/cli/main.js";
try {
  await import(entry);
} catch (cause) {
  const missing = /** @type {{ code?: unknown }} */ (cause)?.code === "ERR_MODULE_NOT_FOUND";
  if (!missing) throw cause;
  process.stderr.write("error[NOT_BUILT]: the SDK is not built (run `bash scripts/build.sh`): ERR_MODULE_NOT_FOUND\n");
  process.exit(1);
}
