// What to do with a message the mailbox reader brings (issue 12). recordInbound stores it
// once and applies bounces and reports to their letter; here, in the same transaction, a
// reply to one of our letters becomes the state's "replied" (an outreach event) and a
// notice to the organisation that sent the letter. A crash leaves all of it or none, and
// a message read again changes nothing.
import type { DB } from "~/platform/db.server";
import { loadEnv } from "~/platform/env.server";
import { renderEmail } from "~/platform/templates.server";
import { recordInbound, type InboundSource, type Recorded, type StoredInbound } from "~/models/inbound/record.server";
import { attachReply, correspondentOf, replyNoticeFacts } from "~/models/inbound/replies.server";
import { isUnsendable, sendMail } from "~/models/outbox/notices.server";

const EXCERPT_CHARS = 600;

export function receiveInbound(db: DB, raw: Buffer, source: InboundSource): Promise<Recorded> {
  return recordInbound(db, raw, source, { then: onStored });
}

async function onStored(trx: DB, stored: StoredInbound): Promise<void> {
  const { dispatch, classified, facts } = stored;
  if (classified.kind !== "reply" || dispatch?.kind !== "letter" || dispatch.statement_id === null || dispatch.country_code === null) return;
  const target = { statementId: dispatch.statement_id, countryCode: dispatch.country_code };
  const message = {
    id: stored.id, from_address: facts.from, from_name: facts.fromName, subject: facts.subject,
    sent_at: facts.date?.toISOString() ?? null, received_at: new Date().toISOString(), text_body: facts.text,
  };
  await attachReply(trx, { actor: null, ip: null }, message, target, dispatch.organisation_id);
  // Sent to our reply address, the organisation has not seen it: it is forwarded in full,
  // to the address the letter named for replies, answerable straight to the ministry.
  const forwardTo = classified.via === "reply-address" && dispatch.reply_to_json ? (JSON.parse(dispatch.reply_to_json) as { address: string }).address : null;
  if (dispatch.organisation_id !== null) await notifyOrganisation(trx, target, dispatch.organisation_id, message, forwardTo);
}

async function notifyOrganisation(trx: DB, target: { statementId: number; countryCode: string }, organisationId: number, message: Parameters<typeof correspondentOf>[0] & { subject: string; sent_at: string | null; received_at: string; text_body: string | null }, forwardTo: string | null): Promise<void> {
  const facts = await replyNoticeFacts(trx, target, organisationId);
  if (!facts) return; // no such statement (deleted): the reply is stored all the same
  const to = forwardTo ?? facts.contactEmail;
  if (!to) return; // no contact address: the reply is on the state's page all the same
  const env = loadEnv();
  const text = message.text_body ?? "";
  const email = renderEmail("reply-received", {
    appName: "Demarche",
    organisationName: facts.organisationName,
    countryName: facts.countryName,
    statementTitle: facts.statement.title,
    correspondent: correspondentOf(message) ?? "(no sender given)",
    subject: message.subject || "(no subject)",
    receivedOn: new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" }).format(new Date(message.sent_at ?? message.received_at)),
    forwarded: forwardTo !== null,
    excerpt: (forwardTo === null && text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS).trimEnd()}…` : text) || "(the reply has no text; it may be an attachment)",
    stateUrl: `${env.baseUrl}/statements/${facts.statement.slug}/outreach/${target.countryCode}`,
  });
  try {
    const ministry = forwardTo && message.from_address ? { replyTo: { name: message.from_name ?? "", address: message.from_address } } : {};
    await sendMail(trx, { to: [{ name: facts.organisationName, address: to }], ...ministry, ...email });
  } catch (error) {
    // A contact address the mail library refuses must not lose the reply itself.
    if (!isUnsendable(error)) throw error;
  }
}
