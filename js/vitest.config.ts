import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // Many tests start the emulator or spawn the CLI: 5 s (vitest's default) is too tight on a loaded 2-core
    // machine. Timeouts are not assertions; performance lives in the benchmarks.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
