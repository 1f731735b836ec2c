// The sending worker: runs inside the app process (server.ts starts it) and drains the
// dispatch table through one mail transport (a pooled SMTP connection set, or the
// sandbox). It claims rows atomically, keeps up to `concurrency` messages in flight,
// paces itself to `ratePerMinute`, retries temporary failures (4xx, timeouts, dropped
// connections) with exponential back-off and stops at permanent ones (5xx). Crash safety
// rests on two writes per message: handed_at is stored before the server sees the
// message, the outcome after (see dispatch-queue.server.ts).
import type { Dispatch, MailMode, StoredAddress } from "../../db/schema";
import type { DB } from "~/platform/db.server";
import { acquireWorkerLock, newWorkerOwner, releaseWorkerLock } from "~/models/outbox/worker-lock.server";
import { claimDispatches, markHanded, nextDueAt, recordOutcome, recoverDispatches, unclaim } from "~/models/outbox/claims.server";
import { registerWaker } from "~/models/outbox/queue.server";
import { envelopeSenderFor, replyAddressFor, tokenOfMessageId } from "~/models/outbox/envelope.server";
import { loadEnv } from "~/platform/env.server";
import { deliver } from "~/jobs/delivery.server";
import { describeMailError, getTransport, isTemporaryFailure, takeConnection, type MailTransport } from "~/platform/mail-transport.server";

export interface DispatchWorkerOptions {
  /** The transport to send through; by default the app's (getTransport()). */
  transport?: MailTransport;
  /** Messages per minute; 0 = as fast as the transport takes them. Default: SEND_RATE_PER_MINUTE. */
  ratePerMinute?: number;
  /** Messages in flight at once. Keep it above the pool's connection count so no connection idles. */
  concurrency?: number;
  /** First retry after this long; each further one waits twice as long (with a little jitter). */
  retryBaseMs?: number;
  /** Attempts before a temporary failure counts as failed. */
  maxAttempts?: number;
  /** How often an idle worker looks at the queue (it is also woken when something is queued). */
  pollMs?: number;
  /** A lock holder whose heartbeat is older than this is presumed dead (ADR 0009). */
  leaseMs?: number;
  onError?: (error: unknown) => void;
  log?: (line: string) => void;
}

export interface DispatchWorker {
  wake(): void;
  /** Stops claiming; resolves when the messages in flight have their outcome stored. */
  stop(): Promise<void>;
}


/** Retry delay before attempt `attempts + 1`: base, 2 x base, 4 x base ... with +-20 % jitter, at most a day. */
export function backoffMs(attempts: number, baseMs: number): number {
  const plain = Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 86_400_000);
  return Math.round(plain * (0.8 + Math.random() * 0.4));
}

const parse = <T>(json: string | null): T | null => (json === null ? null : (JSON.parse(json) as T));

export function startDispatchWorker(db: DB, options: DispatchWorkerOptions = {}): DispatchWorker {
  const env = loadEnv();
  const rate = options.ratePerMinute ?? env.SEND_RATE_PER_MINUTE;
  const concurrency = Math.max(1, options.concurrency ?? 20);
  // Claim again only once half the slots are free: claims, hand-off marks and outcomes
  // then go to the database in groups, which is most of the queue's cost per message.
  const refillBelow = Math.max(1, Math.floor(concurrency / 2));
  const retryBaseMs = options.retryBaseMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 6;
  const pollMs = options.pollMs ?? 1000;
  const leaseMs = options.leaseMs ?? 30_000;
  const owner = newWorkerOwner();
  const onError = options.onError ?? ((e) => console.error("sending: ", e));
  const log = options.log ?? ((line) => console.log(`sending: ${line}`));
  const transport = () => options.transport ?? getTransport();
  const mode = (): MailMode => transport().mode;

  let stopped = false;
  let wakeUp: (() => void) | null = null;
  const inFlight = new Set<Promise<void>>();
  const interval = rate > 0 ? 60_000 / rate : 0;
  let nextSlot = 0;
  const pdfs = new Map<string, Promise<Buffer | null>>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => { wakeUp = null; resolve(); }, Math.max(0, ms));
      timer.unref?.();
      wakeUp = () => { clearTimeout(timer); wakeUp = null; resolve(); };
    });

  // The attachment is the PDF of the letter version the sender confirmed, or nothing.
  const pdfFor = (row: Dispatch): Promise<Buffer | null> => {
    const key = `${row.letter_id}:${row.letter_fingerprint}`;
    if (!pdfs.has(key)) {
      if (pdfs.size >= 16) pdfs.delete(pdfs.keys().next().value!);
      const loading = db
        .selectFrom("letter_pdfs").select("pdf")
        .where("letter_id", "=", row.letter_id ?? -1).where("fingerprint", "=", row.letter_fingerprint ?? "").where("status", "=", "ready")
        .executeTakeFirst()
        .then((r) => (r?.pdf ? Buffer.from(r.pdf) : null));
      pdfs.set(key, loading);
      // Only a PDF is worth keeping: a miss or an error is asked again next time.
      loading.then((pdf) => pdf ?? pdfs.delete(key), () => pdfs.delete(key));
    }
    return pdfs.get(key)!;
  };

  /**
   * With REPLY_DOMAIN, a letter's replies come to reply+<token>@REPLY_DOMAIN, named as the
   * organisation; the stored Reply-To (the organisation's) stays where forwards go.
   */
  function replyToFor(row: Dispatch): StoredAddress | undefined {
    const stored = parse<StoredAddress>(row.reply_to_json) ?? undefined;
    const address = row.kind === "letter" && env.REPLY_DOMAIN ? replyAddressFor(row.message_id, env.REPLY_DOMAIN) : null;
    return address ? { name: stored?.name ?? parse<StoredAddress>(row.from_json)!.name, address } : stored;
  }

  /** What to send, or the reason it must not be sent (the row then fails without reaching a server). */
  async function prepare(row: Dispatch): Promise<{ mail: Parameters<typeof deliver>[2] } | { refusal: string }> {
    if (row.mode !== mode()) {
      return { refusal: row.mode === "sandbox"
        ? "This message was confirmed while the app was in sandbox mode, and the app now sends real mail. Nothing was sent: open the letter and confirm it again."
        : "This message was confirmed for real sending, and the app is now in sandbox mode. Nothing was sent: confirm it again once SMTP is set up." };
    }
    let attachments: { filename: string; contentType: string; content: Buffer }[] = [];
    if (row.attachment_filename) {
      const pdf = await pdfFor(row);
      if (!pdf) return { refusal: "The letter was changed after this message was queued, so its confirmed PDF no longer exists. Nothing was sent: open the letter and send it again." };
      attachments = [{ filename: row.attachment_filename, contentType: "application/pdf", content: pdf }];
    }
    return {
      mail: {
        from: parse<StoredAddress>(row.from_json)!,
        replyTo: replyToFor(row),
        to: parse<StoredAddress[]>(row.to_json)!,
        cc: parse<StoredAddress[]>(row.cc_json)!,
        subject: row.subject,
        html: row.html,
        text: row.text,
        attachments,
        messageId: row.message_id,
        // VERP and DSN: what comes back names this message (app/models/outbox/envelope.server.ts).
        envelopeFrom: (env.bounceDomain && envelopeSenderFor(row.message_id, env.bounceDomain)) || undefined,
        dsnId: (env.bounceDomain && tokenOfMessageId(row.message_id)) || undefined,
      },
    };
  }

  // An outcome that cannot be stored is tried again a few times. If it still fails, the
  // row stays 'sending' with handed_at set: the next start marks it uncertain. It must
  // never look like a failed delivery, or the message would be sent again.
  async function store(outcome: Parameters<typeof recordOutcome>[1]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await recordOutcome(db, outcome);
      } catch (error) {
        if (attempt >= 3) throw error;
        await new Promise((r) => setTimeout(r, 100 * 4 ** attempt));
      }
    }
  }

  async function send(row: Dispatch): Promise<void> {
    // Before the hand-off nothing has left: any error puts the row back in the queue.
    let prepared: Awaited<ReturnType<typeof prepare>>;
    let release: (() => void) | null = null;
    try {
      prepared = await prepare(row);
      if ("refusal" in prepared) return await store({ kind: "failed", id: row.id, error: prepared.refusal, response: null });
      // Handed only when a connection is free for it: a message waiting its turn is
      // still unsent, and after a crash goes back to the queue instead of being uncertain.
      release = await takeConnection(transport());
      if (!(await markHanded(db, owner, row.id))) return release(); // another worker holds the queue now
    } catch (error) {
      release?.();
      await unclaim(db, row.id).catch(onError);
      throw error;
    }
    let outcome: Parameters<typeof recordOutcome>[1];
    try {
      const delivered = await deliver(db, transport(), prepared.mail);
      outcome = { kind: "sent", id: row.id, response: delivered.response, mailboxId: delivered.mailboxId ?? null };
    } catch (error) {
      const words = describeMailError(error);
      const response = (error as { response?: string } | null)?.response ?? null;
      if (isTemporaryFailure(error) && row.attempts < maxAttempts) {
        const nextAttemptAt = new Date(Date.now() + backoffMs(row.attempts, retryBaseMs)).toISOString();
        outcome = { kind: "retry", id: row.id, error: words, response, nextAttemptAt };
      } else {
        outcome = { kind: "failed", id: row.id, error: isTemporaryFailure(error) ? `Gave up after ${row.attempts} attempts. ${words}` : words, response };
      }
    }
    // The connection's slot is given back only once the outcome is stored: until then a
    // crash would leave this message uncertain too, beside the one the connection carries next.
    await store(outcome).finally(release);
  }

  function track(row: Dispatch) {
    const p: Promise<void> = send(row)
      .catch(onError)
      .finally(() => { inFlight.delete(p); wakeUp?.(); });
    inFlight.add(p);
  }

  let holding = false;
  let lastBeat = 0;
  let waitingSaid = false;

  /** Takes, renews or confirms the lock; false while another worker holds it. */
  async function haveLock(): Promise<boolean> {
    if (holding && Date.now() - lastBeat < leaseMs / 3) return true;
    const had = holding;
    holding = await acquireWorkerLock(db, owner, { leaseMs });
    lastBeat = Date.now();
    if (holding && !had) {
      waitingSaid = false;
      // Only the lock holder may decide what an interrupted message became.
      const recovered = await recoverDispatches(db);
      if (recovered.requeued || recovered.uncertain) log(`after a restart, ${recovered.requeued} message(s) queued again, ${recovered.uncertain} marked uncertain`);
    } else if (!holding && !waitingSaid) {
      waitingSaid = true;
      log("another process is sending from this database; waiting for it to stop");
    }
    return holding;
  }

  async function loop() {
    while (!stopped) {
      try {
        if (!(await haveLock())) {
          await sleep(Math.max(pollMs, Math.min(leaseMs / 3, 5000)));
          continue;
        }
        const free = concurrency - inFlight.size;
        if (free <= 0 || (interval === 0 && inFlight.size > refillBelow)) {
          await Promise.race([...inFlight, sleep(pollMs)]);
          continue;
        }
        if (interval > 0 && Date.now() < nextSlot) {
          await sleep(Math.min(nextSlot - Date.now(), leaseMs / 3)); // wake in time to renew the lock
          continue;
        }
        const rows = await claimDispatches(db, owner, interval > 0 ? 1 : free);
        if (rows.length === 0) {
          const due = inFlight.size ? null : await nextDueAt(db);
          await sleep(due ? Math.min(pollMs, due.getTime() - Date.now()) : pollMs);
          continue;
        }
        if (interval > 0) nextSlot = Math.max(nextSlot, Date.now()) + interval;
        rows.forEach(track);
      } catch (error) {
        onError(error);
        await sleep(pollMs);
      }
    }
    await Promise.all(inFlight);
    if (holding) await releaseWorkerLock(db, owner).catch(onError);
  }

  const done = loop();
  const unregister = registerWaker(() => wakeUp?.());
  return {
    wake: () => wakeUp?.(),
    stop: async () => {
      stopped = true;
      unregister();
      wakeUp?.();
      await done;
    },
  };
}
