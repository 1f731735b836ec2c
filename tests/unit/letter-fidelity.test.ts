// The demo Norway letter of 14 January 2025, built from the seeded database and held
// against the facts of the Norwegian Helsinki Committee's real letter: who it is
// addressed and copied to, where and when, the subject, the salutation, the count of
// states parties, the demands, the signers, and the appendix with every signatory.
import { beforeAll, describe, expect, it } from "vitest";
import { NORWAY, NORWAY_SUBJECT, norwayLetterRequest } from "../setup/norway-letter";
import demoOrganisations from "../../db/seed/demo-organisations.json";
import demoStatement from "../../db/seed/demo-statement.json";
import { statesPartiesOn } from "../../app/models/country.server";
import type { DB } from "../../app/platform/db.server";
import { buildLetterContext, buildLetterContexts, type LetterRequest } from "../../app/models/letter-context.server";
import { inlineMarkdownToPlainText } from "../../app/platform/markdown.server";
import { type LetterRecipientInput } from "../../app/platform/letter-document.server";
import { renderLetter } from "../../app/platform/letter-templates.server";
import { migratedDb } from "../setup/db";

const SUBJECT = NORWAY_SUBJECT;

let db: DB;
let request: LetterRequest;

beforeAll(async () => {
  db = await migratedDb();
  request = await norwayLetterRequest(db);
});

async function letter(changes: Partial<LetterRequest> = {}) {
  const req = { ...request, ...changes };
  return renderLetter(await buildLetterContext(db, req), req.language);
}

/** The letter's text, split at the appendix so each check looks where it belongs. */
function parts(text: string) {
  const at = text.indexOf("APPENDIX: THE JOINT STATEMENT");
  expect(at).toBeGreaterThan(0);
  return { letter: text.slice(0, at), appendix: text.slice(at) };
}

describe("the demo Norway letter of 14 January 2025, in English", () => {
  it("has the addressee block, place and date, the CC list, subject and salutation", async () => {
    const { subject, text } = await letter();
    const { letter: body } = parts(text);
    expect(body).toContain("\nEspen Barth Eide\nForeign Minister of Norway\nE-mail: post@mfa.no\n");
    expect(body).toContain("\nOslo, 14 January 2025\n");
    expect(body).toContain(
      [
        "CC:",
        "- Emilie Enger Mehl, Minister of Justice, e-mail: postmottak@jd.dep.no",
        "- Andreas Motzfeldt Kravik, State Secretary, e-mail: Andreas.Motzfeldt.Kravik@mfa.no",
        "- Monica Furnes, Director, e-mail: monica.furnes@mfa.no",
        "- Herborg Fiskaa Alvsåker, Director, e-mail: herborg.fiskaa.alvsaker2@mfa.no",
      ].join("\n"),
    );
    expect(subject).toBe(SUBJECT);
    expect(body).toContain(`\nRe: ${SUBJECT}\n`);
    expect(body).toContain("\nForeign Minister Espen Barth Eide,\n"); // one comma, whether or not the list has it
    expect(body).not.toContain(",,");
    // Norway's own ratification, from the countries table.
    expect(body).toContain("Norway deposited its instrument of ratification on 16 February 2000");
  });

  it("counts the 124 other states parties from the data", async () => {
    const parties = await statesPartiesOn(db, "2025-01-14");
    expect(parties.some((c) => c.code === "NO")).toBe(true);
    const { letter: body } = parts((await letter()).text);
    expect(body).toContain(`together with the ${parties.length - 1} other ICC states parties`);
    expect(body).toContain("124 other ICC states parties");
  });

  it("lists every demand, then both signers with their titles", async () => {
    const { letter: body } = parts((await letter()).text);
    expect(demoStatement.points).toHaveLength(6);
    let from = 0;
    for (const point of demoStatement.points) {
      const at = body.indexOf(`\n- ${inlineMarkdownToPlainText(point)}\n`, from);
      expect(at, point).toBeGreaterThan(from);
      from = at;
    }
    expect(body.indexOf("\nBerit Lindeman\nSecretary-General\n")).toBeGreaterThan(from);
    expect(body.indexOf("\nGunnar M. Ekeløve-Slydal\nDeputy Secretary-General\n")).toBeGreaterThan(body.indexOf("Berit Lindeman"));
  });

  it("appends the statement with all 129 signatories in the published order", async () => {
    const { appendix } = parts((await letter()).text);
    expect(appendix).toContain(`\n${demoStatement.title}\n`);
    expect(appendix).toContain(`\n${demoStatement.leadIn}\n`);
    const heading = appendix.indexOf("\nSignatories (129)\n");
    expect(heading).toBeGreaterThan(0);
    const listed = appendix
      .slice(heading)
      .split("\n")
      .filter((line) => line.startsWith("- "))
      .map((line) => line.slice(2));
    // The order as published (demo-organisations.json), marks as published.
    const marks: Record<string, string> = demoStatement.footnoteMarks;
    const published = demoOrganisations.signatories.map((o) => o.name + (marks[o.name] ?? ""));
    expect(published).toHaveLength(129);
    expect(listed).toEqual(published);
    expect(appendix).toContain(`\n* ${demoStatement.footnotes[0].text}\n`);
  });

  it("says 124 for another state party on the same day, and another number in 2002", async () => {
    const sweden = parts((await letter({ countryCode: "SE" })).text).letter;
    expect(sweden).toContain("Sweden deposited its instrument of ratification on 28 June 2001");
    expect(sweden).toContain("together with the 124 other ICC states parties");

    const then = await statesPartiesOn(db, "2002-07-01");
    expect(then.length).not.toBe(125);
    const early = await letter({ date: "2002-07-01" });
    expect(early.text).toContain("\nOslo, 1 July 2002\n");
    expect(early.text).toContain(`together with the ${then.length - 1} other ICC states parties`);
    expect(early.text).not.toContain("124 other");
  });

  it("writes the same letter in Norwegian", async () => {
    const { text, emailText } = await letter({ language: "nb" });
    expect(text).toContain("\nOslo, 14. januar 2025\n");
    expect(text).toContain("Norge deponerte sitt ratifikasjonsdokument den 16. februar 2000");
    expect(text).toContain("sammen med de 124 andre statspartene");
    expect(text).toContain("\nKopi:\n- Emilie Enger Mehl, Minister of Justice, e-post: postmottak@jd.dep.no\n");
    expect(text).toContain("Med vennlig hilsen");
    expect(emailText).toContain("Berit Lindeman og Gunnar M. Ekeløve-Slydal");
  });

  it("escapes a hostile organisation or recipient name in HTML, and keeps it on one line", async () => {
    const evil = "Evil <script>alert(1)</script> & <img src=x onerror=alert(2)>\r\nBcc: spy@example.org";
    const { id } = await db.insertInto("organisations").values({ name: evil, acronym: "<b>EV</b>", country_code: "NO" }).returning("id").executeTakeFirstOrThrow();
    const recipients: LetterRecipientInput[] = [{ ...NORWAY[0], name: evil, salutation: `Dear ${evil}` }, ...NORWAY.slice(1)];
    const ctx = await buildLetterContext(db, { ...request, organisationId: id, signerIds: [], recipients, subject: `Re\r\nBcc: spy@example.org ${evil}` });
    const rendered = renderLetter(ctx, "en");
    for (const html of [rendered.html, rendered.emailHtml]) {
      expect(html).not.toMatch(/<script|<img|<b>EV/);
      expect(html).toContain("Evil &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src&#x3D;x onerror&#x3D;alert(2)&gt; Bcc: spy@example.org");
    }
    for (const subject of [rendered.subject, rendered.emailSubject]) expect(subject).not.toMatch(/[\r\n]/);
    for (const text of [rendered.text, rendered.emailText]) {
      expect(text).not.toMatch(/^Bcc:/m);
      expect(text).toContain("\nEvil <script>alert(1)</script> & <img src=x onerror=alert(2)> Bcc: spy@example.org\n");
    }
  });
});

describe("buildLetterContext", () => {
  it("builds a batch that equals the letters built one by one", async () => {
    const codes = ["NO", "SE", "UA"];
    const batch = await buildLetterContexts(db, codes.map((countryCode) => ({ ...request, countryCode })));
    for (const [i, countryCode] of codes.entries()) expect(batch[i]).toEqual(await buildLetterContext(db, { ...request, countryCode }));
    expect(batch.map((c) => c.statesPartiesOnDate)).toEqual([125, 125, 125]);
    expect(batch[0].statement.signatories).toHaveLength(129);
  });

  it("refuses a letter without addressee, an unknown country and another organisation's signer", async () => {
    await expect(buildLetterContext(db, { ...request, recipients: NORWAY.slice(1) })).rejects.toThrow(/at least one addressee/);
    await expect(buildLetterContext(db, { ...request, countryCode: "XX" })).rejects.toThrow(/no country with the code "XX"/);
    const other = await db.selectFrom("signers").select("id").where("organisation_id", "!=", request.organisationId).executeTakeFirst();
    const stranger = other?.id ?? 999_999;
    await expect(buildLetterContext(db, { ...request, signerIds: [stranger] })).rejects.toThrow(/does not sign for Norwegian Helsinki Committee/);
    await expect(buildLetterContext(db, { ...request, date: "2025-02-30" })).rejects.toThrow(/real calendar date/);
  });
});
