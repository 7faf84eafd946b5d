import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One TMPDIR root per run; the run fails when a test leaves a temporary file behind.
    globalSetup: ["test/helpers/temp-root.ts"],
    // Any connection to an address other than loopback throws at once (test/helpers/loopback-guard.mjs).
    setupFiles: ["test/helpers/loopback-guard.mjs"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
