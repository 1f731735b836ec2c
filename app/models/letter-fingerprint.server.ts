// A letter's fingerprint: one hash per source it is built from, so "out of date" can
// say what changed (the statement, the recipient list, the sender, the templates, the
// country's data). Compared by letter.server.ts on every read of a letter.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { DB } from "~/platform/db.server";
import type { LetterRequest } from "./letter-context.server";
import { applySwaps, type RecipientSwap } from "./letter-recipients.server";
import { listRecipients } from "./recipient.server";
import { listSigners } from "./signer.server";
import { currentOverrides } from "./template-version.server";

/** What a letter is built from, each fingerprinted on its own so "out of date" can say why. */
export const LETTER_SOURCES = ["statement", "recipients", "sender", "templates", "letter"] as const;
export type LetterSource = (typeof LETTER_SOURCES)[number];
export const SOURCE_LABELS: Record<LetterSource, string> = {
  statement: "the statement (text, points or signatories)",
  recipients: "the country's recipient list",
  sender: "the sending organisation or its signers",
  templates: "the letter templates",
  letter: "the country's Rome Statute data",
};

export const sha256 = (value: unknown) => createHash("sha256").update(typeof value === "string" ? value : JSON.stringify(value)).digest("hex");
export type Memo = Map<string, Promise<unknown>>;
export const once = <T>(memo: Memo, key: string, load: () => Promise<T>): Promise<T> => {
  if (!memo.has(key)) memo.set(key, load());
  return memo.get(key) as Promise<T>;
};

/** The template text a language's letters read (its folder and the shared partials, with the app's edits in place of files), hashed. */
function templateDigest(language: string, overrides: Record<string, string>): string {
  const root = path.resolve("emails", "letters");
  const files: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(path.join(root, language));
  walk(path.join(root, "partials"));
  return sha256(files.sort().map((f) => [path.relative(root, f), overrides[path.relative(root, f)] ?? fs.readFileSync(f, "utf8")]));
}

/** What a letter is built from: its request without the recipients, which come from the list (with the letter's swaps). */
export type Built = Omit<LetterRequest, "recipients" | "subject"> & { subject: string | null; swaps: RecipientSwap[] };

/**
 * One sha256 per source. Recipient rows are hashed whole (a move changes position, not
 * updated_at), as the letter has them after its swaps; a row's fallback is no part of any
 * letter, so naming one leaves letters as they were.
 */
export async function fingerprintParts(db: DB, l: Built, memo: Memo = new Map()): Promise<Record<LetterSource, string>> {
  const [statement, recipients, organisation, signers, country, datasets] = await Promise.all([
    once(memo, `s${l.statementId}`, () => db.selectFrom("statements").select(["id", "version", "updated_at", "status"]).where("id", "=", l.statementId).executeTakeFirst()),
    once(memo, `r${l.countryCode}`, () => listRecipients(db, l.countryCode)),
    once(memo, `o${l.organisationId}`, () => db.selectFrom("organisations").selectAll().where("id", "=", l.organisationId).executeTakeFirst()),
    once(memo, `g${l.organisationId}`, () => listSigners(db, l.organisationId)),
    once(memo, `c${l.countryCode}`, () => db.selectFrom("countries").selectAll().where("code", "=", l.countryCode).executeTakeFirst()),
    once(memo, "datasets", () => db.selectFrom("reference_datasets").selectAll().orderBy("name").execute()),
  ]);
  const overrides = await once(memo, "overrides", () => currentOverrides(db));
  const templates = await once(memo, `t${l.language}`, async () => templateDigest(l.language, overrides));
  return {
    statement: sha256(statement ?? null),
    recipients: sha256(applySwaps(recipients, l.swaps).map(({ created_at: _c, fallback_recipient_id: _f, ...r }) => r)),
    sender: sha256([organisation ?? null, l.signerIds.map((id) => signers.find((s) => s.id === id) ?? id)]),
    templates: sha256([l.language, templates]),
    letter: sha256([country ?? null, datasets, l.place, l.date, l.subject, l.ownParagraph]),
  };
}

export const fingerprintOf = (parts: Record<LetterSource, string>) => sha256(LETTER_SOURCES.map((s) => parts[s]));

export interface Freshness {
  outOfDate: boolean;
  changed: LetterSource[];
}

