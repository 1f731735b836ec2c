// The sign-on POST over real HTTP, through the server's fast path for redirects and
// the hand-over to Remix for everything else.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/connection";
import { addOpenStatement, startServer, type RunningServer } from "../setup/server";

let server: RunningServer;
const SLUG = "http-open-statement";

beforeAll(async () => {
  server = await startServer();
  await addOpenStatement(server.databasePath, SLUG, "Open for signing");
}, 60_000);
afterAll(() => server?.stop());

const fields = (over: Record<string, string> = {}) => ({
  name: "Fast Path Foundation", acronym: "FPF", country: "NO", website: "", contact_name: "Kari Nordmann",
  contact_title: "Director", email: "kari@fastpath.example", note: "", consent: "yes", ...over,
});

function post(path: string, body: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(server.url + path, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, ...headers },
    body: new URLSearchParams(body).toString(),
  });
}

async function rowsNamed(name: string) {
  const db = openDatabase(server.databasePath);
  try {
    return await db.selectFrom("signatures").select(["id", "status", "ip"]).where("organisation_name", "=", name).execute();
  } finally {
    await db.destroy();
  }
}

describe("POST /s/:slug/sign over HTTP", () => {
  it("redirects to 'check your email' with the security headers, storing one unverified signature", async () => {
    const res = await post(`/s/${SLUG}/sign`, fields(), { "X-Forwarded-For": "198.51.100.7" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/s/${SLUG}/sign?sent=1`);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    const rows = await rowsNamed("Fast Path Foundation");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "unverified", ip: "198.51.100.7" }); // loopback proxy trusted, as in express
  });

  it("renders field errors through Remix, keeping what was typed and storing nothing", async () => {
    const res = await post(`/s/${SLUG}/sign`, fields({ name: "Bad\u202EName", email: "not-an-email" }));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("<!DOCTYPE html>");
    expect(html).toMatch(/valid email address/);
    expect(html).toContain('value="not-an-email"');
    expect(await rowsNamed("Bad\u202EName")).toHaveLength(0);
  });

  it("refuses a forged cross-site post", async () => {
    const res = await post(`/s/${SLUG}/sign`, fields({ name: "Forged Org" }), { Origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(await rowsNamed("Forged Org")).toHaveLength(0);
  });

  it("answers a robot that fills the hidden field like a person, storing nothing", async () => {
    const page = await (await fetch(`${server.url}/s/${SLUG}/sign`)).text();
    const honeypot = /name="([^"]+)" type="text" tabindex="-1"/.exec(page)?.[1];
    expect(honeypot).toBeTruthy();
    const res = await post(`/s/${SLUG}/sign`, fields({ name: "Robot Org", [honeypot!]: "spam" }));
    expect(res.status).toBe(302);
    expect(await rowsNamed("Robot Org")).toHaveLength(0);
  });

  it("shows Remix's not-found page for an unknown statement", async () => {
    const res = await post("/s/no-such-statement/sign", fields({ name: "Lost Org" }));
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("Not found");
  });

  it("renders a refusal from the first run of the action, without running it again", async () => {
    // An approved "Amnesty International": each later sign-on under that name is refused
    // beside the name field. Run twice, each refusal would spend two of the email's three hourly
    // sign-ons, and the second try would already read "too many".
    const db = openDatabase(server.databasePath);
    try {
      const st = await db.selectFrom("statements").select("id").where("slug", "=", SLUG).executeTakeFirstOrThrow();
      await db.insertInto("signatures").values({ statement_id: st.id, organisation_name: "Amnesty International", name_key: "amnesty international", status: "approved", source: "import" }).execute();
    } finally {
      await db.destroy();
    }
    for (let attempt = 1; attempt <= 3; attempt++) {
      const res = await post(`/s/${SLUG}/sign`, fields({ name: " amnesty  international.", email: "twice@amnesty.example" }), { "X-Forwarded-For": "198.51.100.99" });
      expect(res.status, `attempt ${attempt}`).toBe(400);
      expect(await res.text()).toMatch(/already signed/);
    }
    const fourth = await post(`/s/${SLUG}/sign`, fields({ name: "Amnesty International", email: "twice@amnesty.example" }), { "X-Forwarded-For": "198.51.100.99" });
    expect(fourth.status).toBe(429);
  });

  it("ignores a replay header sent by a client", async () => {
    const res = await post(`/s/${SLUG}/sign`, fields({ name: "Header Forger", email: "forger@forge.example" }), { "x-demarche-replay": "00000000-0000-0000-0000-000000000000" });
    expect(res.status).toBe(302);
    expect(await rowsNamed("Header Forger")).toHaveLength(1);
  });

  it("still handles other encodings through express", async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields({ name: "Multipart Org", email: "m@multipart.example" }))) form.append(k, v);
    const res = await fetch(`${server.url}/s/${SLUG}/sign`, { method: "POST", redirect: "manual", headers: { Origin: server.url }, body: form });
    expect(res.status).toBe(302);
    expect(await rowsNamed("Multipart Org")).toHaveLength(1);
  });
});
