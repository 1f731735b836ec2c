// Debian's Chromium driven by playwright-core. Never downloads a browser; the flags
// keep it from reaching for the network, which this machine does not have.
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_PATH, chromiumProblem } from "./chromium";

export { CHROMIUM_PATH };

export async function launchBrowser(): Promise<Browser> {
  // Reached only when the journeys were not left out (vitest.config.ts), e.g. with CI=true.
  const problem = chromiumProblem();
  if (problem) throw new Error(`${problem}: apt-get install chromium (or set CHROMIUM_PATH). CI=true requires the browser journeys.`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/** Signs the demo coordinator in on `page` and waits for the start page. */
export async function signInAsDemoCoordinator(page: Page, baseUrl: string, password: string): Promise<void> {
  await page.goto(baseUrl + "/login");
  await page.getByLabel("Email").fill("coordinator@example.org");
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(baseUrl + "/");
}
