// A real SMTP server inside the test process: smtp-server on 127.0.0.1, a free port,
// no TLS, no authentication. What arrives is kept raw and parsed with mailparser, so
// a test checks the message a relay would really have received.
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerSession } from "smtp-server";

export interface SmtpEnvelope {
  from: string | null;
  to: string[];
}

/** What the sender asked for by SMTP DSN (RFC 3461): RET and ENVID on MAIL FROM, NOTIFY per RCPT. */
export interface SmtpDsnRequest {
  ret: string | null;
  envid: string | null;
  notify: string[][];
}

/** What the server answers to one message: nothing (250 OK) or an SMTP error reply. */
export type SmtpReply = void | undefined | { code: number; message?: string };

export interface TestSmtpOptions {
  /**
   * Called for every message once its bytes have arrived, before it is recorded.
   * Return { code: 451 } (temporary) or { code: 550 } (permanent) to refuse it;
   * refused messages go to `refused`, not `messages`. For retry tests.
   */
  onData?: (raw: Buffer, envelope: SmtpEnvelope, attempt: number) => SmtpReply | Promise<SmtpReply>;
}

export interface TestSmtp {
  url: string;
  port: number;
  /** Accepted messages, parsed, in arrival order. */
  messages: ParsedMail[];
  /** The same messages as received bytes. */
  raw: Buffer[];
  envelopes: SmtpEnvelope[];
  /** The DSN request of each accepted message, beside `envelopes`. */
  dsn: SmtpDsnRequest[];
  refused: { raw: Buffer; envelope: SmtpEnvelope; code: number }[];
  /** Resolves once `count` messages have been accepted. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function envelopeOf(session: SMTPServerSession): SmtpEnvelope {
  const from = session.envelope.mailFrom;
  return { from: from ? from.address : null, to: session.envelope.rcptTo.map((r) => r.address) };
}

function dsnOf(session: SMTPServerSession): SmtpDsnRequest {
  const dsn = (session.envelope as { dsn?: { ret?: string; envid?: string } }).dsn;
  return { ret: dsn?.ret ?? null, envid: dsn?.envid ?? null, notify: session.envelope.rcptTo.map((r) => (r as { dsn?: { notify?: string[] } }).dsn?.notify ?? []) };
}

export async function startTestSmtp(options: TestSmtpOptions = {}): Promise<TestSmtp> {
  const messages: ParsedMail[] = [];
  const raw: Buffer[] = [];
  const envelopes: SmtpEnvelope[] = [];
  const dsn: SmtpDsnRequest[] = [];
  const refused: TestSmtp["refused"] = [];
  let attempts = 0;

  const server = new SMTPServer({
    // Without STARTTLS advertised, nodemailer stays in plain text: no certificates needed.
    disabledCommands: ["STARTTLS", "AUTH"],
    // Advertise DSN (RFC 3461), as relays that honour it do, so the requests can be read.
    hideDSN: false,
    authOptional: true,
    logger: false,
    // close() would otherwise wait 30 s for pooled client connections to hang up.
    closeTimeout: 50,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", callback);
      stream.on("end", async () => {
        const bytes = Buffer.concat(chunks);
        const envelope = envelopeOf(session);
        try {
          const reply = await options.onData?.(bytes, envelope, ++attempts);
          if (reply) {
            refused.push({ raw: bytes, envelope, code: reply.code });
            const error = Object.assign(new Error(reply.message ?? `Refused by the test server (${reply.code})`), { responseCode: reply.code });
            return callback(error);
          }
          // Parse before answering, so the message is here when the sender's promise resolves.
          messages.push(await simpleParser(bytes));
          raw.push(bytes);
          envelopes.push(envelope);
          dsn.push(dsnOf(session));
          callback();
        } catch (error) {
          callback(error as Error);
        }
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  // A client that vanishes (a process killed mid-message, a proxy cutting the line) is
  // what some tests do on purpose: the server reports it as an error event, which must
  // not become an unhandled error of the test run.
  server.removeAllListeners("error");
  server.on("error", (error: NodeJS.ErrnoException) => {
    if (!["ECONNRESET", "EPIPE", "ETIMEDOUT"].includes(error.code ?? "")) console.error("test SMTP server:", error);
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    raw,
    envelopes,
    dsn,
    refused,
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`Expected ${count} messages at the test SMTP server, got ${messages.length}.`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
