// Where the time goes between the server's answer and a usable page, in Chromium with
// its CPU slowed down (CDP CPU throttling, standing in for a busy two-core machine):
// per page, the server's answer (time to first byte), first paint after the HTML
// arrived, and when the page's script has taken over (hydrated), each the median of runs.
import type { Browser, Page } from "playwright-core";

export interface FirstView {
  path: string;
  /** Request sent to the first byte of the answer: the server's time. */
  answerMs: number;
  /** Last byte of the HTML to the first contentful paint: the page can be read. */
  paintAfterHtmlMs: number;
  /** Last byte of the HTML to the end of hydration: every control behaves as scripted. */
  hydratedAfterHtmlMs: number;
  /** Bytes of script the page loads (decoded). */
  scriptBytes: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function once(browser: Browser, url: string, throttle: number, cookie: { name: string; value: string; url: string } | undefined, hydrate: boolean): Promise<Omit<FirstView, "path">> {
  const context = await browser.newContext();
  if (cookie) await context.addCookies([cookie]);
  const page: Page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle });
  await page.goto(url, { waitUntil: "load" });
  if (hydrate) await page.waitForFunction(() => "__remixRouter" in window && (window as unknown as { __remixRouter: { state: { initialized: boolean } } }).__remixRouter.state.initialized);
  // Hydration has committed once the router exists and a frame has been drawn after it.
  const hydratedAt = await page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now()))));
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN;
    const scripts = (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).filter((e) => e.initiatorType === "script" || e.name.endsWith(".js"));
    return { requestStart: nav.requestStart, responseStart: nav.responseStart, responseEnd: nav.responseEnd, fcp, scriptBytes: scripts.reduce((n, e) => n + e.decodedBodySize, 0) };
  });
  await context.close();
  return { answerMs: t.responseStart - t.requestStart, paintAfterHtmlMs: t.fcp - t.responseEnd, hydratedAfterHtmlMs: hydrate ? hydratedAt - t.responseEnd : NaN, scriptBytes: t.scriptBytes };
}

export async function measureFirstView(browser: Browser, base: string, path: string, { runs = 5, throttle = 4, cookie, hydrate = true }: { runs?: number; throttle?: number; cookie?: string; hydrate?: boolean } = {}): Promise<FirstView> {
  const c = cookie ? { name: cookie.split("=")[0], value: cookie.split("=").slice(1).join("="), url: base } : undefined;
  const results: Omit<FirstView, "path">[] = [];
  await once(browser, base + path, throttle, c, hydrate); // warm the server's caches and the disk
  for (let i = 0; i < runs; i++) results.push(await once(browser, base + path, throttle, c, hydrate));
  return {
    path,
    answerMs: median(results.map((r) => r.answerMs)),
    paintAfterHtmlMs: median(results.map((r) => r.paintAfterHtmlMs)),
    hydratedAfterHtmlMs: median(results.map((r) => r.hydratedAfterHtmlMs)),
    scriptBytes: results[0].scriptBytes,
  };
}
