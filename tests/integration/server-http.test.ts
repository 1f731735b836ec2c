// The production server over real HTTP: start-up (migrate + seed), binding,
// CSRF on every state-changing request, and token access to the API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_API_TOKEN, DEMO_PASSWORD, startServer, type RunningServer } from "../setup/server";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
}, 60_000);
afterAll(() => server?.stop());

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe("production server", () => {
  it("starts migrated and seeded, serving the start page", async () => {
    const res = await fetch(server.url + "/");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Demarche");
    expect(server.output()).toMatch(/Demo data loaded/);
    expect(server.output()).not.toContain(DEMO_PASSWORD); // a fixed password is not printed
  });

  it("accepts a sign-in posted from its own origin", async () => {
    const res = await fetch(server.url + "/login", {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
      body: form({ email: "coordinator@example.org", password: DEMO_PASSWORD }),
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("set-cookie")).toMatch(/demarche_session=/);
  });

  it("refuses a forged cross-site post before any action runs", async () => {
    const res = await fetch(server.url + "/login", {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example" },
      body: form({ email: "coordinator@example.org", password: DEMO_PASSWORD }),
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/another site/);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("refuses a state-changing post with no origin at all", async () => {
    const res = await fetch(server.url + "/logout", { method: "POST", redirect: "manual" });
    expect(res.status).toBe(403);
  });

  it("lets the demo API token call the API, and refuses without it", async () => {
    const ok = await fetch(server.url + "/api/me", { headers: { Authorization: `Bearer ${DEMO_API_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect((await ok.json()).email).toBe("coordinator@example.org");
    const no = await fetch(server.url + "/api/me");
    expect(no.status).toBe(401);
  });

  it("serves the public states-parties API without a token", async () => {
    const res = await fetch(server.url + "/api/states-parties?on=2025-01-14");
    expect(res.status).toBe(200);
    expect((await res.json()).count).toBe(125);
    const bad = await fetch(server.url + "/api/states-parties?on=2025-02-30");
    expect(bad.status).toBe(400);
  });

  it("does not seed twice when restarted on the same database", async () => {
    const again = await startServer({}, server.databasePath);
    try {
      expect(again.output()).not.toMatch(/Demo data loaded/);
      const res = await fetch(again.url + "/api/me", { headers: { Authorization: `Bearer ${DEMO_API_TOKEN}` } });
      expect(res.status).toBe(200);
    } finally {
      await again.stop();
    }
  }, 60_000);
});
