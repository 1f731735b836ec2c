// Is an approval visible on the very next request? The approval has to happen inside
// the server (that is where touchStatement notes the new version), so the bench
// signs in as the demo coordinator and approves through the moderation page, exactly
// as a person would. The pending sign-on itself is written straight into the
// database file: pending signatures are not public, so that needs no version bump.
import { openDatabase } from "../../db/connection";
import { nameKey } from "../../app/models/name-matching.server";
import { DEMO_PASSWORD, type RunningServer } from "../../tests/setup/server";

export const MODERATION_PATH = (slug: string) => `/statements/${slug}/moderation`;

export interface ApprovalResult {
  visible: boolean;
  /** Milliseconds of the first page request after the approval (it renders afresh). */
  nextRequestMs: number;
  /** The request after that, served from the cache again. */
  cachedRequestMs: number;
  detail: string;
}

async function signIn(server: RunningServer): Promise<string> {
  const res = await fetch(`${server.url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
    body: new URLSearchParams({ email: "coordinator@example.org", password: DEMO_PASSWORD }),
  });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error(`sign-in failed: ${res.status}`);
  return cookie;
}

async function pendingSignature(server: RunningServer, slug: string, name: string): Promise<number> {
  const db = openDatabase(server.databasePath);
  try {
    const statement = await db.selectFrom("statements").select("id").where("slug", "=", slug).executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    const row = await db
      .insertInto("signatures")
      .values({ statement_id: statement.id, organisation_name: name, name_key: nameKey(name), status: "pending", source: "form", contact_name: "Bench Contact", contact_email: "approval@bench.example", consent_at: now, verified_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  } finally {
    await db.destroy();
  }
}

async function timedPage(url: string): Promise<{ html: string; ms: number }> {
  const start = performance.now();
  const res = await fetch(url, { headers: { "Accept-Encoding": "identity" } });
  const html = await res.text();
  return { html, ms: performance.now() - start };
}

export async function checkApprovalVisible(server: RunningServer, slug: string): Promise<ApprovalResult> {
  const name = `Aaron Approval Test Organisation ${Date.now()}`;
  const pageUrl = `${server.url}/s/${slug}`;
  const cookie = await signIn(server);
  const signatureId = await pendingSignature(server, slug, name);
  const before = await timedPage(pageUrl);
  if (before.html.includes(name)) return { visible: false, nextRequestMs: NaN, cachedRequestMs: NaN, detail: "the pending name was already public" };

  const res = await fetch(server.url + MODERATION_PATH(slug), {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: cookie },
    body: new URLSearchParams({ intent: "approve", signatureId: String(signatureId) }),
  });
  await res.arrayBuffer();
  if (res.status >= 400) return { visible: false, nextRequestMs: NaN, cachedRequestMs: NaN, detail: `approve answered ${res.status} (${MODERATION_PATH(slug)})` };

  const next = await timedPage(pageUrl);
  const again = await timedPage(pageUrl);
  return { visible: next.html.includes(name), nextRequestMs: next.ms, cachedRequestMs: again.ms, detail: `approve answered ${res.status}` };
}
