// A machine without Chromium: the browser journeys are left out with one line saying
// why and how to install it, unless CI is set, where a missing Chromium fails the run.
// Runs vitest itself as a child, as `npm test` would on such a machine.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { browserJourneys } from "../setup/chromium";

const ROOT = path.resolve(__dirname, "../..");

function vitest(env: Record<string, string | undefined>) {
  const { CI: _ci, VITEST: _v, VITEST_WORKER_ID: _w, VITEST_POOL_ID: _p, ...base } = process.env;
  const run = spawnSync(process.execPath, ["node_modules/vitest/vitest.mjs", "run", "tests/e2e/invite-member.test.ts", "tests/unit/markdown.test.ts"], {
    cwd: ROOT,
    env: { ...base, ...env } as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: 90_000,
  });
  return { status: run.status, output: run.stdout + run.stderr };
}

describe("without Chromium", () => {
  it("skips the browser journeys with one line, and the rest passes", () => {
    const run = vitest({ CHROMIUM_PATH: "/nonexistent" });
    expect(run.output.match(/Browser journeys skipped/g)).toHaveLength(1);
    expect(run.output).toContain("apt-get install chromium");
    expect(run.output).not.toContain("invite-member");
    expect(run.status).toBe(0);
  }, 90_000);

  it("fails the run when CI=true requires them", () => {
    const run = vitest({ CHROMIUM_PATH: "/nonexistent", CI: "true" });
    expect(run.output).toContain("Chromium not found at /nonexistent");
    expect(run.status).not.toBe(0);
  }, 90_000);

  it("keeps them when Chromium is there, or when CI is set", () => {
    expect(browserJourneys({ CHROMIUM_PATH: process.execPath }).exclude).toEqual([]);
    expect(browserJourneys({ CHROMIUM_PATH: "/nonexistent", CI: "true" })).toEqual({ exclude: [], notice: null });
    expect(browserJourneys({ CHROMIUM_PATH: "/nonexistent", CI: "false" }).exclude).toEqual(["tests/e2e/**"]);
  });
});
