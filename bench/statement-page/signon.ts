// The sign-on POST under load: wrk with signon.lua (every request a new organisation
// from its own address) for the rate, then the database: every 2xx/3xx answer must be
// exactly one row, and no email may appear twice. wrk stops with requests in flight,
// so its count can only be bracketed; a second, smaller run from Node keeps every
// request's answer and checks it against the rows one by one.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { openDatabase } from "../../db/connection";
import type { RunningServer } from "../../tests/setup/server";
import { wrk } from "./wrk";

const here = path.dirname(fileURLToPath(import.meta.url));

export interface SignOnResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  statuses: Record<string, number>;
  sent: number;
  answeredOk: number;
  rows: number;
  duplicateEmails: number;
  exact: { requests: number; ok: number; okWithoutRow: number; okWithSeveralRows: number; refusedWithRow: number; statuses: Record<string, number> };
}

async function rowsByEmail(databasePath: string, statementSlug: string, emailPrefix: string): Promise<Map<string, number>> {
  const db = openDatabase(databasePath);
  try {
    const rows = await db
      .selectFrom("signatures as g")
      .innerJoin("statements as s", "s.id", "g.statement_id")
      .select(["g.contact_email", sql<number>`count(*)`.as("n")])
      .where("s.slug", "=", statementSlug)
      .where("g.contact_email", "like", `${emailPrefix}%`)
      .groupBy("g.contact_email")
      .execute();
    return new Map(rows.map((r) => [r.contact_email!, Number(r.n)]));
  } finally {
    await db.destroy();
  }
}

const isOk = (status: number) => status >= 200 && status < 400;

export async function benchSignOn(server: RunningServer, slug: string, { connections, seconds }: { connections: number; seconds: number }): Promise<SignOnResult> {
  const run = `w${Date.now().toString(36)}`;
  const result = await wrk(server.url, { connections, seconds, script: path.join(here, "signon.lua"), args: [run, server.url, `/s/${slug}/sign`] });
  const statuses: Record<string, number> = {};
  for (const m of result.output.matchAll(/^SIGNON-STATUS (\d+) (\d+)$/gm)) statuses[m[1]] = Number(m[2]);
  const sent = Number(/^SIGNON-SENT (\d+)$/m.exec(result.output)?.[1] ?? 0);
  await new Promise((r) => setTimeout(r, 2000)); // let requests still in flight finish
  const byEmail = await rowsByEmail(server.databasePath, slug, `bench-${run}-`);
  const answeredOk = Object.entries(statuses).filter(([s]) => isOk(Number(s))).reduce((sum, [, n]) => sum + n, 0);

  // Exact accounting: known requests, every answer kept.
  const exactRun = `x${Date.now().toString(36)}`;
  const total = 2000;
  const answers = new Map<string, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async (_, worker) => {
      while (next < total) {
        const i = next++;
        const email = `bench-${exactRun}-${i}@signatory.example`;
        const body = new URLSearchParams({ name: `Bench Signatory ${exactRun} ${i}`, acronym: "", country: "NO", website: "", contact_name: "Bench Contact", contact_title: "Director", email, note: "", consent: "yes", fax_number: "" });
        const res = await fetch(`${server.url}/s/${slug}/sign`, {
          method: "POST",
          redirect: "manual",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, "X-Forwarded-For": `10.200.${worker}.${(i % 250) + 1}` },
          body,
        });
        await res.arrayBuffer();
        answers.set(email, res.status);
      }
    }),
  );
  const exactRows = await rowsByEmail(server.databasePath, slug, `bench-${exactRun}-`);
  const exact = { requests: total, ok: 0, okWithoutRow: 0, okWithSeveralRows: 0, refusedWithRow: 0, statuses: {} as Record<string, number> };
  for (const [email, status] of answers) {
    exact.statuses[status] = (exact.statuses[status] ?? 0) + 1;
    const rows = exactRows.get(email) ?? 0;
    if (isOk(status)) {
      exact.ok++;
      if (rows === 0) exact.okWithoutRow++;
      if (rows > 1) exact.okWithSeveralRows++;
    } else if (rows > 0) exact.refusedWithRow++;
  }

  return {
    requestsPerSecond: result.requestsPerSecond,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    statuses,
    sent,
    answeredOk,
    rows: [...byEmail.values()].reduce((a, b) => a + b, 0),
    duplicateEmails: [...byEmail.values()].filter((n) => n > 1).length,
    exact,
  };
}
