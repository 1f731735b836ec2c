// Debian's Chromium driven by playwright-core. Never downloads a browser; the flags
// keep it from reaching for the network, which this machine does not have.
import fs from "node:fs";
import path from "node:path";
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

/** Signs `email` in on `page` through the sign-in form and waits for the start page. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(baseUrl + "/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(baseUrl + "/");
}

/** Signs the demo coordinator in on `page` and waits for the start page. */
export function signInAsDemoCoordinator(page: Page, baseUrl: string, password: string): Promise<void> {
  return signIn(page, baseUrl, "coordinator@example.org", password);
}

/**
 * Collects what the browser refused under the Content-Security-Policy (and script errors)
 * on `page`: a journey ends by expecting this list to be empty, so a script or style the
 * policy blocks fails the journey instead of silently breaking the page.
 */
export function watchPolicyViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy|Refused to|Error loading route module/i.test(message.text())) seen.push(`${message.location().url}: ${message.text()}`);
  });
  page.on("pageerror", (error) => seen.push(`script error: ${error.message}`));
  return seen;
}

const AXE_SOURCE = () => fs.readFileSync(path.resolve("node_modules/axe-core/axe.min.js"), "utf8");

/**
 * axe-core's WCAG 2 A and AA checks on the page as it is now, one line per violation
 * ("serious scrollable-region-focusable: table"). Injected through the DevTools protocol,
 * which the page's Content-Security-Policy does not govern (a <script> tag would be refused).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE());
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: { impact: string; id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: ["wcag2a", "wcag2aa"] });
    return result.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

/** How far the page is wider than the window (0 when nothing sticks out sideways). */
export async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}
