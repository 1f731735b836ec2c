// Reading the mailbox named by IMAP_URL (issue 12): bounces, delivery reports and replies
// come in over IMAP (imapflow) and are stored by recordInbound, one transaction per
// message together with the mailbox cursor. So a crash at any point loses nothing (the
// next run starts after the last UID stored) and repeats nothing (a message seen again
// is stored once). Messages are fetched in small batches, at most RAW_LIMIT + 1 bytes
// each, and the event loop is given back between messages: a mail bomb of thousands of
// messages is worked through without holding up the app's requests.
import { ImapFlow } from "imapflow";
import type { ImapSettings } from "~/platform/env.server";
import type { DB } from "~/platform/db.server";
import { mailboxCursor, RAW_LIMIT } from "~/models/inbound/record.server";
import { receiveInbound } from "~/workflows/inbound-mail.server";
import { releaseLease, takeLease } from "~/models/job-leases.server";
import { repeat } from "./repeat.server";

export interface ReadResult {
  /** Messages fetched in this run. */
  fetched: number;
  /** Of those, stored now (not seen before). */
  stored: number;
  uidValidity: number;
  lastUid: number;
}

const BATCH = 20;
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

function clientFor(settings: ImapSettings): ImapFlow {
  return new ImapFlow({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: { user: settings.user, pass: settings.password },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 30_000,
    greetingTimeout: 15_000,
    socketTimeout: 120_000,
  });
}

/** Reads everything new in the mailbox once, then logs out. */
export async function readMailboxOnce(db: DB, settings: ImapSettings, { onMessage }: { onMessage?: (uid: number) => void } = {}): Promise<ReadResult> {
  const client = clientFor(settings);
  client.on("error", () => {}); // a dropped connection rejects the pending command, which is what we handle
  await client.connect();
  try {
    const lock = await client.getMailboxLock(settings.mailbox, { readOnly: true });
    try {
      const mailbox = client.mailbox;
      if (!mailbox) throw new Error(`The mailbox ${settings.mailbox} could not be opened.`);
      const uidValidity = Number(mailbox.uidValidity);
      const cursor = await mailboxCursor(db, settings.label);
      // A new UIDVALIDITY means the mailbox was recreated: read it all again (stored once by Message-ID).
      const after = cursor && cursor.uidValidity === uidValidity ? cursor.lastUid : 0;
      const found = (await client.search({ uid: `${after + 1}:*` }, { uid: true })) || [];
      // "N:*" always matches the last message, even below N: keep only what is new.
      const uids = found.filter((uid) => uid > after).sort((a, b) => a - b);
      let fetched = 0;
      let stored = 0;
      for (let i = 0; i < uids.length; i += BATCH) {
        const batch = uids.slice(i, i + BATCH);
        const messages = await client.fetchAll(batch.join(","), { uid: true, source: { maxLength: RAW_LIMIT + 1 } }, { uid: true });
        messages.sort((a, b) => a.uid - b.uid);
        for (const message of messages) {
          if (!message.source) continue;
          const recorded = await receiveInbound(db, message.source, { mailbox: settings.label, uidValidity, uid: message.uid });
          fetched++;
          if (!recorded.duplicate) stored++;
          onMessage?.(message.uid);
          await yieldToRequests();
        }
      }
      const end = await mailboxCursor(db, settings.label);
      return { fetched, stored, uidValidity, lastUid: end?.lastUid ?? after };
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/**
 * Reads the mailbox now and then every `intervalMs`, one run at a time and in one
 * process at a time (a lease); a failure (the
 * server away, a wrong password) is reported and tried again at the next interval.
 * Returns a function that stops it.
 */
export function watchMailbox(db: DB, settings: ImapSettings, { intervalMs, onError = (e: unknown) => console.error(`reading ${settings.label} failed:`, (e as Error).message ?? e) }: { intervalMs: number; onError?: (e: unknown) => void }): () => void {
  // One reader per mailbox however many processes run: the lease outlasts a long read
  // (a mail bomb), and a process that died mid-read gives way when it expires.
  const lease = `mailbox:${settings.label}`;
  return repeat(async () => {
    if (!(await takeLease(db, lease, Math.max(10 * 60_000, 3 * intervalMs)))) return;
    try {
      await readMailboxOnce(db, settings);
    } finally {
      await releaseLease(db, lease);
    }
  }, { everyMs: intervalMs, onError });
}
