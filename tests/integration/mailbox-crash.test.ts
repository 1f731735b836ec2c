// SIGKILL of the app in the middle of reading a mailbox (issue 12): a real Dovecot holds
// a mail bomb of 600 messages, the real server reads it over IMAP, and is killed once
// part of it is stored. After a restart every message is stored exactly once (none lost,
// none twice), the cursor ends at the last UID, and the app answered pages throughout.
import { afterAll, expect, it } from "vitest";
import { openDatabase } from "../../db/connection";
import { describeWithImap, startImapServer, type ImapServer } from "../setup/imap";
import { plainMail } from "../setup/inbound-mail";
import { startServer, type RunningServer } from "../setup/server";

const TOTAL = 600;
const servers: RunningServer[] = [];
let imap: ImapServer | undefined;
afterAll(async () => {
  for (const s of servers) await s.stop();
  await imap?.stop();
});

async function stored(databasePath: string): Promise<{ rows: number; distinct: number; lastUid: number | null }> {
  const db = openDatabase(databasePath);
  try {
    const row = await db.selectFrom("inbound_messages").select((eb) => [eb.fn.countAll<number>().as("rows"), eb.fn.count<number>("message_id").distinct().as("distinct")]).executeTakeFirstOrThrow();
    const cursor = await db.selectFrom("mailbox_cursors").select("last_uid").executeTakeFirst();
    return { rows: Number(row.rows), distinct: Number(row.distinct), lastUid: cursor ? Number(cursor.last_uid) : null };
  } finally {
    await db.destroy();
  }
}

describeWithImap("a crash while reading a mailbox", () => {
  it("loses nothing and stores nothing twice", { timeout: 120_000 }, async () => {
    imap = await startImapServer();
    // Some messages are bigger than others: a fetch is in flight when the kill comes.
    await imap.appendMany(Array.from({ length: TOTAL }, (_, i) => plainMail(`<bomb-${i}@elsewhere.example>`, `Message ${i}`, i % 10 === 0 ? `X-Padding: ${"p".repeat(50_000)}\n` : "")));
    const env = { IMAP_URL: imap.url, IMAP_POLL_SECONDS: "5" };
    const first = await startServer(env);
    servers.push(first);
    let pagesAnswered = 0;
    await expect.poll(async () => {
      if ((await fetch(`${first.url}/login`)).status === 200) pagesAnswered++;
      return (await stored(first.databasePath)).rows;
    }, { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(100);
    await first.kill();
    const atKill = await stored(first.databasePath);
    expect(atKill.rows).toBeLessThan(TOTAL); // killed mid-read, or the test proves nothing
    expect(atKill.lastUid).toBe(atKill.rows); // the cursor moved with each stored message
    expect(pagesAnswered).toBeGreaterThan(0);

    const second = await startServer(env, first.databasePath);
    servers.push(second);
    await expect.poll(async () => (await stored(second.databasePath)).rows, { timeout: 60_000, interval: 200 }).toBe(TOTAL);
    expect(await stored(second.databasePath)).toEqual({ rows: TOTAL, distinct: TOTAL, lastUid: TOTAL });
  });
});
