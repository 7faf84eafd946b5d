import { configDefaults, defineConfig } from "vitest/config";

/**
 * Test files that need a fresh module registry of their own: the loopback guard's test swaps the
 * guard's module-level `originals` for traps, which other files in a shared worker would inherit.
 */
const ISOLATED = ["test/unit/loopback-guard.test.ts"];

export default defineConfig({
  test: {
    // One TMPDIR root per run; the run fails when a test leaves a temporary file behind.
    globalSetup: ["test/helpers/temp-root.ts"],
    // Any connection to an address other than loopback throws at once (test/helpers/loopback-guard.mjs).
    setupFiles: ["test/helpers/loopback-guard.mjs"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      // The rest reuse a worker across files (isolate: false): each shared module (the SDKs,
      // the sandbox) is evaluated once per worker instead of once per file, which was about a
      // quarter of the run's time. Every test starts its own sandbox and passes its environment
      // to plsctl explicitly, so no file depends on another's module state.
      {
        extends: true,
        test: {
          name: "shared",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...ISOLATED],
          isolate: false,
        },
      },
      { extends: true, test: { name: "isolated", include: ISOLATED } },
    ],
  },
});
