// Issue #11 over real HTTP: guesses from one client address slow that address down,
// never the account's owner at another. The production server listens on 127.0.0.1;
// Linux routes all of 127/8 to loopback, so requests sent from 127.0.0.2 and 127.0.0.3
// arrive as two different clients (express takes the socket's address: no proxy header).
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/connection";
import { DEMO_PASSWORD, startServer, type RunningServer } from "../setup/server";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
}, 60_000);
afterAll(() => server?.stop());

const COORDINATOR = "coordinator@example.org";
type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

function send(method: "GET" | "POST", path: string, from: string, fields?: Record<string, string>): Promise<Answer> {
  const body = fields ? new URLSearchParams(fields).toString() : "";
  return new Promise((resolve, reject) => {
    const request = http.request(server.url + path, {
      method,
      localAddress: from,
      headers: method === "POST"
        ? { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body), Origin: server.url }
        : {},
    }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    request.on("error", reject);
    request.end(body);
  });
}
const signIn = (from: string, password: string) => send("POST", "/login", from, { email: COORDINATOR, password });
const sessionCookie = (a: Answer) => (a.headers["set-cookie"] ?? []).find((c) => c.startsWith("demarche_session="));

describe("sign-in throttling over HTTP", () => {
  it("six wrong passwords from 127.0.0.2 do not stop the right password from 127.0.0.3", async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 6; i++) answers.push(await signIn("127.0.0.2", `wrong guess ${i}`));
    expect(answers.slice(0, 5).map((a) => a.status)).toEqual([400, 400, 400, 400, 400]);
    expect(answers[0].body).toContain("The email or password is not correct.");
    expect(answers[5].status).toBe(429);
    expect(answers[5].body).toContain("Too many sign-in attempts for this account from your network. Please wait 1 minute and try again");

    const owner = await signIn("127.0.0.3", DEMO_PASSWORD);
    expect(owner.status).toBe(302);
    expect(sessionCookie(owner)).toBeDefined();

    // The guesser's address stays slowed, even with the right password.
    const guesser = await signIn("127.0.0.2", DEMO_PASSWORD);
    expect(guesser.status).toBe(429);
    expect(guesser.body).toMatch(/Please wait 1 minute/);
    expect(sessionCookie(guesser)).toBeUndefined();
  });

  it("offers the sign-in link on /login and signs in by it, from the slowed address too", async () => {
    const page = await send("GET", "/login", "127.0.0.2");
    expect(page.status).toBe(200);
    expect(page.body).toContain('name="intent" value="link"');
    expect(page.body).toContain("Email me a sign-in link");

    const asked = await send("POST", "/login", "127.0.0.2", { intent: "link", email: COORDINATOR });
    expect(asked.status).toBe(200);
    expect(asked.body).toContain("If an account exists for that address, we have sent a link");

    const db = openDatabase(server.databasePath);
    let token: string;
    try {
      const mail = await db.selectFrom("mailbox_messages").select("text_body").where("to_addresses", "like", `%${COORDINATOR}%`).orderBy("id", "desc").executeTakeFirstOrThrow();
      token = /\/login\/link\/([A-Za-z0-9_-]+)/.exec(mail.text_body ?? "")![1];
    } finally {
      await db.destroy();
    }
    const opened = await send("GET", `/login/link/${token}`, "127.0.0.2");
    expect(opened.status).toBe(200);
    expect(opened.body).toContain(COORDINATOR);
    expect(opened.headers["cache-control"]).toBe("no-store");

    const used = await send("POST", `/login/link/${token}`, "127.0.0.2", {});
    expect(used.status).toBe(302);
    expect(used.headers.location).toBe("/");
    expect(sessionCookie(used)).toBeDefined();

    const again = await send("POST", `/login/link/${token}`, "127.0.0.2", {});
    expect(again.status).toBe(410);
    expect(again.body).toContain("This sign-in link cannot be used");
    expect(again.body).toContain('href="/login"');

    // Using the link from 127.0.0.2 proved the owner is there: that address starts afresh.
    expect((await signIn("127.0.0.2", DEMO_PASSWORD)).status).toBe(302);
  });
});
