import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";
import { browserJourneys } from "./tests/setup/chromium";

const journeys = browserJourneys();
if (journeys.notice && !process.env.VITEST_WORKER_ID) console.warn(journeys.notice);

export default defineConfig({
  resolve: { alias: { "~": path.resolve(__dirname, "app") } },
  esbuild: { jsx: "automatic" },
  test: {
    include: ["tests/**/*.test.{ts,tsx}"],
    exclude: [...configDefaults.exclude, ...journeys.exclude],
    // Only browser journeys asked for, and no browser: say so (above) rather than fail.
    passWithNoTests: journeys.exclude.length > 0,
    setupFiles: ["tests/setup/env.ts"],
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
