// Whether the browser journeys (tests/e2e) can run here. Without Chromium they are left
// out with one line saying how to get it, unless CI is set: CI must run them, so there a
// missing Chromium fails the run (tests/setup/browser.ts throws when it cannot launch).
import fs from "node:fs";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

const isCi = (value = process.env.CI) => !!value && !["0", "false", "no"].includes(value.toLowerCase());

/** Why Chromium cannot be used, or null when it can. */
export function chromiumProblem(path = CHROMIUM_PATH): string | null {
  try {
    fs.accessSync(path, fs.constants.X_OK);
    return fs.statSync(path).isFile() ? null : `${path} is not a file`;
  } catch {
    return `Chromium not found at ${path}`;
  }
}

/** The test files to leave out, and the line that says so. */
export function browserJourneys(env: Record<string, string | undefined> = process.env): { exclude: string[]; notice: string | null } {
  const problem = chromiumProblem(env.CHROMIUM_PATH || "/usr/bin/chromium");
  if (!problem || isCi(env.CI)) return { exclude: [], notice: null };
  return {
    exclude: ["tests/e2e/**"],
    notice: `Browser journeys skipped (tests/e2e): ${problem}. Install it with \`apt-get install chromium\` or set CHROMIUM_PATH; with CI=true they are required.`,
  };
}
