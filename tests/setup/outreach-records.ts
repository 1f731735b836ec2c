// Rows the outreach tests need without going through the sending pipeline: a letter
// (rendered outputs stubbed) and a message in any state. Only the columns the board
// reads carry meaning.
import type { Insertable } from "kysely";
import type { DispatchesTable } from "../../db/schema";
import type { DB } from "../../app/platform/db.server";

let n = 0;

export async function insertLetter(db: DB, statementId: number, countryCode: string, organisationId: number) {
  const stub = `stub-${++n}`;
  return (await db.insertInto("letters").values({
    statement_id: statementId, country_code: countryCode, organisation_id: organisationId, signer_ids: "[]", place: "Oslo", letter_date: "2025-01-14", language: "en",
    subject: null, own_paragraph: null, rendered_subject: `Letter ${stub}`, rendered_html: "<p></p>", rendered_text: "", rendered_email_subject: "", rendered_email_html: "", rendered_email_text: "",
    fingerprint: stub, fingerprint_parts: "{}", generated_at: "2025-01-14T09:00:00Z", created_by: null,
  }).returning("id").executeTakeFirstOrThrow()).id;
}

export async function insertDispatch(db: DB, values: Pick<Insertable<DispatchesTable>, "statement_id" | "country_code" | "organisation_id"> & Partial<Insertable<DispatchesTable>>) {
  const key = `test-${++n}`;
  return (await db.insertInto("dispatches").values({
    dedupe_key: key, kind: "letter", mode: "sandbox", from_json: JSON.stringify({ name: "NGO", address: "ngo@example.org" }), to_json: JSON.stringify([{ name: "Minister", address: "minister@example.gov" }]),
    subject: "Letter", html: "<p>Letter</p>", text: "Letter", message_id: `<${key}@demarche.test>`, status: "queued", ...values,
  }).returning("id").executeTakeFirstOrThrow()).id;
}

