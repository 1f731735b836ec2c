// Debian's Chromium driven by playwright-core. Never downloads a browser; the flags
// keep it from reaching for the network, which this machine does not have.
import fs from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install chromium (or set CHROMIUM_PATH).`);
  }
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
