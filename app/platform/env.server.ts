// Configuration comes from the environment and is checked once. A bad value stops
// the app with a message naming the variable, rather than failing later mid-request.
import fs from "node:fs";
import { z } from "zod";

const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

function isImapUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "imap:" || url.protocol === "imaps:") && url.hostname !== "" && url.username !== "" && url.password !== "";
  } catch {
    return false;
  }
}

/** Where and as whom to read mail: from IMAP_URL; the path names the mailbox (default INBOX). */
export interface ImapSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  mailbox: string;
  /** A name for the cursor and the stored rows: the account and mailbox, never the password. */
  label: string;
}

function imapSettings(value: string | undefined): ImapSettings | null {
  if (!value) return null;
  const url = new URL(value);
  const secure = url.protocol === "imaps:";
  const user = decodeURIComponent(url.username);
  const mailbox = decodeURIComponent(url.pathname.replace(/^\/+/, "")) || "INBOX";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = url.port ? Number(url.port) : secure ? 993 : 143;
  return { host, port, secure, user, password: decodeURIComponent(url.password), mailbox, label: `${user}@${host}:${port}/${mailbox}` };
}

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  PORT: z.coerce.number({ error: "must be a port number from 0 to 65535" }).int("must be a whole number").min(0).max(65535, "must be at most 65535").default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_PATH: z.string().min(1).default("data/demarche.sqlite"),
  // How long a write waits for another process's lock before the request is answered 503.
  DATABASE_BUSY_TIMEOUT_MS: z.coerce.number({ error: "must be a number of milliseconds" }).int("must be a whole number").min(0, "must be 0 or more").max(600_000, "must be at most 600000 (ten minutes)").default(5000),
  SMTP_URL: optional(
    z.string().refine((v) => /^smtps?:\/\/[^\s]+$/.test(v), "must look like smtp://user:pass@host:587 or smtps://host:465"),
  ),
  MAIL_FROM: z.string().email("must be an email address").default("demarche@localhost.localdomain"),
  BASE_URL: optional(z.string().url("must be an absolute URL such as https://demarche.example.org")),
  SESSION_SECRET: optional(z.string().min(32, "must be at least 32 characters")),
  DEMO_PASSWORD: optional(z.string().min(12, "must be at least 12 characters")),
  // Letters go out From the platform with Reply-To the organisation (default: the
  // organisation's own domain rarely lets our relay pass DMARC), or From the organisation.
  LETTER_FROM: z.enum(["platform", "organisation"], { error: "must be platform or organisation" }).default("platform"),
  // The sending worker's pace, in messages per minute; 0 = no limit.
  SEND_RATE_PER_MINUTE: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(0, "must be 0 (no limit) or more").default(60),
  // Bounces come back to bounces+<token>@BOUNCE_DOMAIN (VERP); default: MAIL_FROM's domain.
  // "none": a relay that allows only its account's address as envelope sender (no VERP, no DSN).
  BOUNCE_DOMAIN: optional(z.string().regex(/^none$|^(?=.{1,253}$)([a-z0-9](-*[a-z0-9])*\.)+[a-z]{2,}$/i, "must be a domain name such as bounces.example.org, or none")),
  // DKIM signing, when all three are set: the signing domain, the selector, and the path of the PEM private key.
  DKIM_DOMAIN: optional(z.string().regex(/^(?=.{1,253}$)([a-z0-9](-*[a-z0-9])*\.)+[a-z]{2,}$/i, "must be a domain name such as example.org")),
  DKIM_SELECTOR: optional(z.string().regex(/^[a-z0-9](-*[a-z0-9._])*$/i, "must be a DNS label such as demarche2026")),
  DKIM_PRIVATE_KEY_PATH: optional(z.string().min(1)),
  // Letters ask for replies at reply+<token>@REPLY_DOMAIN (a domain whose mail reaches IMAP_URL's
  // mailbox); Demarche records each reply and forwards it to the organisation. Unset: replies go
  // to the organisation (Reply-To), and Demarche sees those it is copied on.
  REPLY_DOMAIN: optional(z.string().regex(/^(?=.{1,253}$)([a-z0-9](-*[a-z0-9])*\.)+[a-z]{2,}$/i, "must be a domain name such as replies.example.org")),
  // The mailbox Demarche reads for bounces, reports and replies (issue 12); none: nothing is read.
  IMAP_URL: optional(z.string().refine(isImapUrl, "must look like imaps://user:password@imap.example.org/INBOX (imap:// only on a trusted network)")),
  IMAP_POLL_SECONDS: z.coerce.number({ error: "must be a number of seconds" }).int("must be a whole number").min(5, "must be at least 5").max(86_400, "must be at most 86400 (a day)").default(60),
  DEMO_API_TOKEN: optional(z.string().regex(/^[A-Za-z0-9_-]{24,}$/, "must be 24 or more letters, digits, - or _")),
});

export type Env = z.infer<typeof EnvSchema> & {
  baseUrl: string;
  mailMode: "sandbox" | "smtp";
  /** The domain of every message's envelope sender (VERP bounces); null: MAIL FROM is the From address. */
  bounceDomain: string | null;
  /** nodemailer's DKIM options, when signing is configured. */
  dkim: { domainName: string; keySelector: string; privateKey: string } | null;
  /** The mailbox to read, when IMAP_URL is set. */
  imap: ImapSettings | null;
};

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  const dkimSet = [env.DKIM_DOMAIN, env.DKIM_SELECTOR, env.DKIM_PRIVATE_KEY_PATH].filter(Boolean).length;
  if (dkimSet !== 0 && dkimSet !== 3) throw new EnvError("Invalid configuration:\n  DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY_PATH: set all three to sign with DKIM, or none.");
  let dkimPrivateKey: string | null = null;
  if (env.DKIM_PRIVATE_KEY_PATH) {
    try {
      dkimPrivateKey = fs.readFileSync(env.DKIM_PRIVATE_KEY_PATH, "utf8");
    } catch (error) {
      throw new EnvError(`Invalid configuration:\n  DKIM_PRIVATE_KEY_PATH: cannot read ${env.DKIM_PRIVATE_KEY_PATH} (${(error as Error).message})`);
    }
    if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(dkimPrivateKey)) throw new EnvError("Invalid configuration:\n  DKIM_PRIVATE_KEY_PATH: the file is not a PEM private key (-----BEGIN PRIVATE KEY-----).");
  }
  const host = env.HOST === "0.0.0.0" || env.HOST === "::" ? "127.0.0.1" : env.HOST;
  const baseUrl = (env.BASE_URL ?? `http://${host.includes(":") ? `[${host}]` : host}:${env.PORT}`).replace(/\/+$/, "");
  const bounceDomain = env.BOUNCE_DOMAIN === "none" ? null : (env.BOUNCE_DOMAIN ?? env.MAIL_FROM.split("@")[1]);
  const dkim = dkimPrivateKey ? { domainName: env.DKIM_DOMAIN!, keySelector: env.DKIM_SELECTOR!, privateKey: dkimPrivateKey } : null;
  return { ...env, baseUrl, mailMode: env.SMTP_URL ? "smtp" : "sandbox", bounceDomain, dkim, imap: imapSettings(env.IMAP_URL) };
}

let cached: Env | undefined;

/** The checked environment, parsed on first use. */
export function loadEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
