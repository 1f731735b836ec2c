// Every response carries a Content-Security-Policy, over real HTTP from the production
// server: pages allow our own scripts and only the inline ones stamped with this
// response's nonce; files, data and redirects allow nothing; routes with a policy of
// their own (the public statement page) keep it. A page whose inline script lacked the
// nonce would be blocked in the browser, so the test reads every <script> tag.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, startServer, type RunningServer } from "../setup/server";

let server: RunningServer;
let cookie = "";
beforeAll(async () => {
  server = await startServer();
  const res = await fetch(server.url + "/login", {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
    body: new URLSearchParams({ email: "coordinator@example.org", password: DEMO_PASSWORD }).toString(),
  });
  cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
}, 60_000);
afterAll(() => server?.stop());

const get = (path: string, headers: Record<string, string> = {}) => fetch(server.url + path, { redirect: "manual", headers });

function nonceOf(policy: string): string {
  const match = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(policy);
  expect(match, `no script nonce in: ${policy}`).not.toBeNull();
  return match![1];
}

/** Every inline script in the page carries the response's nonce; scripts with src are ours. */
function expectScriptsAllowed(html: string, nonce: string) {
  const tags = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
  expect(tags.length).toBeGreaterThan(0);
  for (const attributes of tags) {
    const src = /\bsrc="([^"]*)"/.exec(attributes)?.[1];
    if (src) expect(src.startsWith("/")).toBe(true);
    else expect(attributes).toContain(`nonce="${nonce}"`);
  }
}

describe("Content-Security-Policy", () => {
  it("gives a page a fresh nonce that every inline script carries", async () => {
    const first = await get("/login");
    const policy = first.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("img-src 'self' data:");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain("unsafe-eval");
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    const nonce = nonceOf(policy);
    expectScriptsAllowed(await first.text(), nonce);

    const second = await get("/login");
    expect(nonceOf(second.headers.get("content-security-policy") ?? "")).not.toBe(nonce);
  });

  it("covers signed-in pages and the sign-on form", async () => {
    for (const path of ["/", "/letters", "/statements", "/s/oppose-sanctions-icc-2025/sign"]) {
      const res = await get(path, { Cookie: cookie });
      expect(res.status, path).toBe(200);
      const policy = res.headers.get("content-security-policy") ?? "";
      expectScriptsAllowed(await res.text(), nonceOf(policy));
    }
  });

  it("keeps the public statement page's own stricter policy", async () => {
    const res = await get("/s/oppose-sanctions-icc-2025");
    expect(res.status).toBe(200);
    const policy = res.headers.get("content-security-policy") ?? "";
    expect(policy).toMatch(/^default-src 'none'/);
    expect(policy).not.toContain("nonce-");
  });

  it("lets nothing load from files, data and redirects", async () => {
    for (const path of ["/styles.css", "/api/states-parties", "/letters/new"]) {
      const res = await get(path);
      expect(res.headers.get("content-security-policy"), path).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    }
  });

  it("still sends the other security headers", async () => {
    for (const path of ["/login", "/styles.css"]) {
      const res = await get(path);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("same-origin");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
    }
  });
});
