// The outreach pages, exports and API through their real loaders and actions, on the
// seeded demo (Norway's letter logged as sent by NHC): the board and its filters, the
// map, the CSV (formulas neutralised), the API's 401/404/shape, logging each kind of
// event (an .eml parsed, a PDF checked, a too-large file refused beside its field),
// refused forms that keep their values and store nothing, who may log, hostile input
// shown as text, and overdue follow-ups on a coordinator's home page.
import { beforeAll, describe, expect, it } from "vitest";
import { renderPage } from "../setup/render-page";
import BoardPage, { loader as boardLoader } from "~/routes/statements.$slug.outreach._index";
import CountryPage, { action as countryAction, loader as countryLoader } from "~/routes/statements.$slug.outreach.$code";
import { loader as mapLoader } from "~/routes/statements.$slug.outreach.map[.]svg";
import { loader as csvLoader } from "~/routes/statements.$slug.outreach[.]csv";
import { loader as apiLoader } from "~/routes/api.statements.$slug.outreach";
import { loader as attachmentLoader } from "~/routes/statements.$slug.outreach.$code_.events.$eventId.attachment";
import HomePage, { loader as homeLoader } from "~/routes/_index";
import { createApiToken } from "~/models/api-token.server";
import type { DB } from "~/platform/db.server";
import { seedIfEmpty } from "../../app/workflows/seed/index.server";
import { DEMO_STATEMENT_SLUG } from "../../app/workflows/seed/statements.server";
import { migratedDb } from "../setup/db";
import { insertDispatch, insertLetter } from "../setup/outreach-records";
import { call, createOrganisation, createUser, getRequest, postRequest, sessionCookie, settle } from "../factories";

const SLUG = DEMO_STATEMENT_SLUG;
const BASE = "http://127.0.0.1:3000";
const board = `/statements/${SLUG}/outreach`;
let db: DB;
let statementId: number;
let nhcId: number;
let coordinator: string;
let nhcMember: string;
let otherMember: string;
let writerMember: string;
let writerOrg: { id: number; name: string };
let token: string;

beforeAll(async () => {
  db = await migratedDb();
  await seedIfEmpty(db, { DEMO_PASSWORD: "outreach-routes-password", DEMO_API_TOKEN: undefined });
  statementId = (await db.selectFrom("statements").select("id").where("slug", "=", SLUG).executeTakeFirstOrThrow()).id;
  nhcId = (await db.selectFrom("organisations").select("id").where("name", "=", "Norwegian Helsinki Committee").executeTakeFirstOrThrow()).id;
  coordinator = await sessionCookie(db, (await createUser(db, { role: "coordinator" })).id);
  const member = await createUser(db, { role: "member", organisationId: nhcId });
  nhcMember = await sessionCookie(db, member.id);
  token = await createApiToken(db, member, "outreach", null);
  otherMember = await sessionCookie(db, (await createUser(db, { role: "member", organisationId: (await createOrganisation(db, { name: "Elsewhere Watch" })).id })).id);
  // An organisation that covers no country but wrote to Sweden for this statement.
  writerOrg = await createOrganisation(db, { name: "Svenska Helsingforskommittén" });
  await insertLetter(db, statementId, "SE", writerOrg.id);
  writerMember = await sessionCookie(db, (await createUser(db, { role: "member", organisationId: writerOrg.id })).id);
});

const events = async () => Number((await db.selectFrom("outreach_events").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
const params = (code = "NO") => ({ slug: SLUG, code });
const post = (fields: Record<string, string>, cookie = nhcMember, code = "NO") => settle(call(countryAction, postRequest(`${board}/${code}`, fields, cookie), params(code)));
function multipart(fields: Record<string, string>, file: File | null, cookie = nhcMember, code = "NO") {
  // The file first, as the reply form lists it: the fields after a refused file must survive.
  const body = new FormData();
  if (file) body.set("attachment", file);
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  return new Request(`${BASE}${board}/${code}`, { method: "POST", body, headers: { Origin: BASE, Cookie: cookie } });
}
const postMultipart = (fields: Record<string, string>, file: File | null, cookie = nhcMember) => settle(call(countryAction, multipart(fields, file, cookie), params()));

describe("the board", () => {
  it("sends anonymous visitors to the login page", async () => {
    const res = await settle(call(boardLoader, getRequest(board), { slug: SLUG }));
    expect([res.status, res.headers.get("Location")]).toEqual([302, `/login?redirectTo=${encodeURIComponent(board)}`]);
    expect((await settle(call(mapLoader, getRequest(`${board}/map.svg`), { slug: SLUG }))).status).toBe(302);
    expect((await settle(call(boardLoader, getRequest("/statements/no-such-statement/outreach", nhcMember), { slug: "no-such-statement" }))).status).toBe(404);
  });

  it("hides a draft statement's board from members (board, map, CSV, API), not from coordinators", async () => {
    await db.insertInto("statements").values({ slug: "secret-draft", title: "Secret draft title", statement_date: "2025-03-01", status: "draft" }).execute();
    const at = (path: string) => `/statements/secret-draft/outreach${path}`;
    const slug = { slug: "secret-draft" };
    expect((await settle(call(boardLoader, getRequest(at(""), nhcMember), slug))).status).toBe(404);
    expect((await settle(call(mapLoader, getRequest(at("/map.svg"), nhcMember), slug))).status).toBe(404);
    expect((await settle(call(csvLoader, getRequest(at(".csv"), nhcMember), slug))).status).toBe(404);
    const api = await settle(call(apiLoader, getRequest("/api/statements/secret-draft/outreach", undefined, { Authorization: `Bearer ${token}` }), { slug: "secret-draft" }));
    expect(api.status).toBe(404);
    expect(JSON.stringify(api.body)).not.toContain("Secret draft title");
    expect((await settle(call(boardLoader, getRequest(at(""), coordinator), { slug: "secret-draft" }))).status).toBe(200);
  });

  it("shows every state party with Norway sent by NHC, the legend, the map and the exports", async () => {
    const { status, html } = await renderPage("/statements/:slug/outreach", getRequest(board, nhcMember), BoardPage, boardLoader);
    expect(status).toBe(200);
    expect(html).toMatch(/<tr data-code="NO" data-status="sent">.*Norwegian Helsinki Committee.*14 January 2025/);
    expect(html).toContain(`data="${board}/map.svg"`);
    expect(html).toContain(`href="${board}.csv"`);
    expect(html).toMatch(/Sent(<!-- -->)?: <strong>1<\/strong>/);
    expect(html).toMatch(/Not started(<!-- -->)?: <strong>\d+<\/strong>/);
    expect(html).toContain(`href="${board}/NO"`);
    expect(html).toContain("The table below lists every state");
  });

  it("filters with a GET form, carrying the filters to the map and the CSV, and says when nothing matches", async () => {
    const { html } = await renderPage("/statements/:slug/outreach", getRequest(`${board}?status=sent&group=western-european-other`, nhcMember), BoardPage, boardLoader);
    expect(html.match(/<tr data-code=/g)).toHaveLength(1);
    expect(html).toContain(`data="${board}/map.svg?status=sent&amp;group=western-european-other"`);
    expect(html).toContain(`${board}.csv?status=sent&amp;group=western-european-other`);
    expect(html).toMatch(/<option value="sent" selected="">/);
    // The counts still cover every status; the page says which one the map and table show, and dims the others.
    expect(html).toContain("The map and the table show only: <strong>Sent</strong>");
    expect(html).toMatch(/<li data-status="sent" data-shown="yes">/);
    expect(html).toMatch(/<li data-status="not_started" data-shown="no" class="dimmed">/);
    const unfiltered = await renderPage("/statements/:slug/outreach", getRequest(board, nhcMember), BoardPage, boardLoader);
    expect(unfiltered.html).not.toContain("show only");
    expect(unfiltered.html).not.toContain('class="dimmed"');
    const none = await renderPage("/statements/:slug/outreach", getRequest(`${board}?status=meeting&group=african`, nhcMember), BoardPage, boardLoader);
    expect(none.html).toContain("No state matches these filters.");
    // Nonsense in the query is ignored, not an error.
    expect((await settle(call(boardLoader, getRequest(`${board}?status=%3Cscript%3E&organisation=-1`, nhcMember), { slug: SLUG }))).status).toBe(200);
  });

  it("serves the map as a private SVG that the board may embed", async () => {
    const res = await call(mapLoader, getRequest(`${board}/map.svg?group=western-european-other`, nhcMember), { slug: SLUG }) as Response;
    expect(res.headers.get("Content-Type")).toBe("image/svg+xml; charset=utf-8");
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    expect(res.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'self'");
    const svg = await res.text();
    expect(svg).toMatch(/data-code="NO"[^>]*data-status="sent"/);
    expect(svg).toContain(`href="${board}/NO" target="_top"`);
    expect(svg).not.toContain('data-code="KE"');
  });
});

describe("CSV and API", () => {
  it("exports the board as CSV with formulas neutralised", async () => {
    await post({ intent: "meeting", happenedOn: "2025-02-10", correspondent: "=HYPERLINK(\"http://evil.example\",\"x\")", summary: "+SUM(A1:A9)", body: "" });
    const res = await call(csvLoader, getRequest(`${board}.csv?group=western-european-other`, nhcMember), { slug: SLUG }) as Response;
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="outreach-${SLUG}.csv"`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = new TextDecoder().decode(bytes);
    expect(csv).toContain("code,state,regional_group,state_party,status,status_label,sent_by,sent_on,last_event,last_event_on,follow_up_due\r\n");
    const norway = csv.split("\r\n").find((l) => l.startsWith("NO,"))!;
    expect(norway).toContain("meeting,Meeting held,Norwegian Helsinki Committee,2025-01-14,");
    expect(norway).toContain("Meeting with =HYPERLINK");
    expect(csv).not.toMatch(/(^|,)"?[=+\-@]/m);
    // The same export, unsigned, is refused.
    expect((await settle(call(csvLoader, getRequest(`${board}.csv`), { slug: SLUG }))).status).toBe(302);
  });

  it("answers the API with 401 unsigned, 404 for an unknown statement, and per-country status", async () => {
    const unsigned = await settle(call(apiLoader, getRequest(`/api/statements/${SLUG}/outreach`), { slug: SLUG }));
    expect([unsigned.status, typeof unsigned.body.error]).toEqual([401, "string"]);
    const bad = await settle(call(apiLoader, getRequest(`/api/statements/${SLUG}/outreach`, undefined, { Authorization: "Bearer nope" }), { slug: SLUG }));
    expect(bad.status).toBe(401);
    const unknown = await settle(call(apiLoader, getRequest("/api/statements/nothing-here/outreach", nhcMember), { slug: "nothing-here" }));
    expect([unknown.status, typeof unknown.body.error]).toEqual([404, "string"]);
    const res = await settle(call(apiLoader, getRequest(`/api/statements/${SLUG}/outreach`, undefined, { Authorization: `Bearer ${token}` }), { slug: SLUG }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statement: SLUG, statesPartiesOn: "2025-01-14" });
    expect(res.body.countries.length).toBe(res.body.total);
    const no = res.body.countries.find((c: { code: string }) => c.code === "NO");
    expect(Object.keys(no).sort()).toEqual(["autoReplies", "code", "followUpDue", "group", "lastEvent", "letters", "name", "replies", "sentAt", "sentBy", "stateParty", "status", "statusLabel"]);
    expect(no).toMatchObject({ name: "Norway", group: "western-european-other", sentBy: "Norwegian Helsinki Committee", sentAt: "2025-01-14" });
    expect(res.body.counts.not_started).toBe(res.body.total - res.body.countries.filter((c: { status: string }) => c.status !== "not_started").length);
    const filtered = await settle(call(apiLoader, getRequest(`/api/statements/${SLUG}/outreach?status=not_started&group=african`, nhcMember), { slug: SLUG }));
    expect(filtered.body.countries.every((c: { group: string; status: string }) => c.group === "african" && c.status === "not_started")).toBe(true);
  });
});

const EML = [
  'From: "Ministry of Foreign Affairs" <post@mfa.example.no>',
  "To: post@nhc.example.no",
  "Subject: Re: Civil society urges States to oppose ICC sanctions",
  "Date: Mon, 03 Feb 2025 10:00:00 +0100",
  "Message-ID: <reply-1@mfa.example.no>",
  "MIME-Version: 1.0",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "Thank you for your letter. Norway continues to support the Court.",
  "",
].join("\r\n");

describe("logging a reply", () => {
  it("takes an .eml, filling the empty fields from it, and serves the file back as a download", async () => {
    const before = await events();
    const res = await postMultipart({ intent: "reply", happenedOn: "", correspondent: "", summary: "", body: "" }, new File([EML], "reply.eml", { type: "message/rfc822" }));
    expect([res.status, res.headers.get("Location")]).toEqual([302, `${board}/NO?done=reply#timeline`]);
    expect(await events()).toBe(before + 1);
    const saved = await db.selectFrom("outreach_events").selectAll().orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(saved).toMatchObject({
      kind: "reply", happened_on: "2025-02-03", correspondent: "Ministry of Foreign Affairs <post@mfa.example.no>", organisation_id: nhcId,
      summary: "Re: Civil society urges States to oppose ICC sanctions", body: "Thank you for your letter. Norway continues to support the Court.",
      attachment_filename: "reply.eml", attachment_type: "message/rfc822",
    });
    const audit = await db.selectFrom("audit_log").selectAll().where("action", "=", "outreach.reply_logged").where("subject_id", "=", String(saved.id)).executeTakeFirst();
    expect(audit).toBeDefined();
    const download = await call(attachmentLoader, getRequest(`${board}/NO/events/${saved.id}/attachment`, otherMember), { slug: SLUG, code: "NO", eventId: String(saved.id) }) as Response;
    expect(download.headers.get("Content-Type")).toBe("message/rfc822");
    expect(download.headers.get("Content-Disposition")).toMatch(/^attachment; filename="reply.eml"/);
    expect(download.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(await download.text()).toBe(EML);
    expect((await settle(call(attachmentLoader, getRequest(`${board}/SE/events/${saved.id}/attachment`, otherMember), { slug: SLUG, code: "SE", eventId: String(saved.id) }))).status).toBe(404);
    // What the person typed wins over the email's own header.
    await postMultipart({ intent: "reply", happenedOn: "2025-02-04", correspondent: "State Secretary", summary: "Typed summary", body: "" }, new File([EML], "again.eml"));
    const typed = await db.selectFrom("outreach_events").selectAll().orderBy("id", "desc").executeTakeFirstOrThrow();
    expect([typed.happened_on, typed.correspondent, typed.summary]).toEqual(["2025-02-04", "State Secretary", "Typed summary"]);
  });

  it("takes a PDF that is one, and refuses one that is not, beside the file field", async () => {
    const ok = await postMultipart({ intent: "reply", happenedOn: "2025-02-05", correspondent: "MFA", summary: "Signed reply", body: "" }, new File(["%PDF-1.7\n%%EOF\n"], "svar.pdf", { type: "application/pdf" }));
    expect(ok.status).toBe(302);
    const before = await events();
    const fake = await postMultipart({ intent: "reply", happenedOn: "2025-02-05", correspondent: "MFA", summary: "Kept summary", body: "" }, new File(["<html><script>alert(1)</script>"], "svar.pdf"));
    expect(fake.status).toBe(400);
    expect(fake.body.errors.attachment[0]).toMatch(/not a PDF/);
    expect(fake.body.values).toMatchObject({ summary: "Kept summary", correspondent: "MFA", intent: "reply" });
    const docx = await postMultipart({ intent: "reply", happenedOn: "2025-02-05", correspondent: "MFA", summary: "x", body: "" }, new File(["PK"], "reply.docx"));
    expect(docx.body.errors.attachment[0]).toMatch(/\.eml.*\.pdf/);
    expect(await events()).toBe(before);
  });

  it("refuses a file over 5 MB beside the field, keeping the other values and storing nothing", async () => {
    const before = await events();
    const big = new Uint8Array(5 * 1024 * 1024 + 10);
    big.set(new TextEncoder().encode("%PDF-1.7"));
    const res = await postMultipart({ intent: "reply", happenedOn: "2025-02-06", correspondent: "MFA", summary: "Too big to keep", body: "" }, new File([big], "scan.pdf"));
    expect(res.status).toBe(400);
    expect(res.body.errors.attachment[0]).toMatch(/larger than 5 MB/);
    expect(res.body.values.summary).toBe("Too big to keep");
    expect(await events()).toBe(before);
  });

  it("refuses a body that streams past the budget without a Content-Length, storing nothing", async () => {
    const before = await events();
    // Four parts of 4.5 MB: each under the per-file limit, together past the body budget.
    const form = new FormData();
    for (let i = 0; i < 4; i++) form.append(`filler${i}`, new File([new Uint8Array(4.5 * 1024 * 1024)], `part${i}.bin`));
    for (const [k, v] of Object.entries({ intent: "reply", happenedOn: "2025-02-06", correspondent: "MFA", summary: "Streamed" })) form.set(k, v);
    const encoded = new Response(form);
    const request = new Request(`${BASE}${board}/NO`, {
      method: "POST",
      body: encoded.body,
      duplex: "half",
      headers: { Origin: BASE, Cookie: nhcMember, "Content-Type": encoded.headers.get("Content-Type")! },
    } as RequestInit);
    expect(request.headers.get("Content-Length")).toBeNull();
    const res = await settle(call(countryAction, request, params()));
    expect(res.status).toBe(413);
    expect(await events()).toBe(before);
  });

  it("shows the errors beside the fields with the values kept, and refuses impossible and future dates", async () => {
    const before = await events();
    const fields = { intent: "reply", happenedOn: "2025-02-30", correspondent: "Line one\r\nBcc: x@example.org", summary: "Kept", body: "" };
    const res = await postMultipart(fields, null);
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors).sort()).toEqual(["correspondent", "happenedOn"]);
    expect((await postMultipart({ ...fields, happenedOn: "2099-01-01", correspondent: "MFA" }, null)).body.errors.happenedOn[0]).toMatch(/future/);
    expect(await events()).toBe(before);
    const { html } = await renderPage("/statements/:slug/outreach/:code", multipart(fields, null), CountryPage, countryLoader, countryAction);
    expect(html).toMatch(/<input[^>]*aria-invalid="true"[^>]*name="happenedOn"[^>]*value="2025-02-30"|<input[^>]*name="happenedOn"[^>]*value="2025-02-30"[^>]*aria-invalid="true"|<input[^>]*aria-invalid="true"[^>]*aria-describedby="reply-date-error"[^>]*name="happenedOn"/);
    expect(html).toContain("not a real calendar date");
    expect(html).toMatch(/id="reply-summary"[^>]*value="Kept"|value="Kept"[^>]*id="reply-summary"/);
    // The other forms stay clean.
    expect(html).not.toMatch(/id="meeting-summary"[^>]*value="Kept"/);
  });

  it("gives one error per date field: an empty one is missing, a bad one stops at its first broken rule", async () => {
    const before = await events();
    const dateErrors = async (fields: Record<string, string>) => (await post(fields)).body.errors[fields.intent === "follow_up" ? "dueOn" : "happenedOn"];
    expect((await postMultipart({ intent: "reply", happenedOn: "", correspondent: "MFA", summary: "Thanks" }, null)).body.errors.happenedOn).toEqual(["Date of the reply is required (or attach an .eml)."]);
    expect(await dateErrors({ intent: "meeting", happenedOn: "  ", correspondent: "MFA", summary: "Met" })).toEqual(["Date of the meeting is required."]);
    expect(await dateErrors({ intent: "follow_up", dueOn: "", summary: "Call" })).toEqual(["Due date is required."]);
    expect(await dateErrors({ intent: "sent", happenedOn: "", organisationId: String(nhcId) })).toEqual(["Date sent is required."]);
    expect(await dateErrors({ intent: "meeting", happenedOn: "14/01/2025", correspondent: "MFA", summary: "Met" })).toEqual(["Date of the meeting must be written YYYY-MM-DD."]);
    expect(await dateErrors({ intent: "meeting", happenedOn: "1990-02-30", correspondent: "MFA", summary: "Met" })).toEqual(["Date of the meeting is not a real calendar date."]);
    expect(await dateErrors({ intent: "meeting", happenedOn: "1990-01-01", correspondent: "MFA", summary: "Met" })).toEqual(["Date of the meeting cannot be before 17 July 1998."]);
    expect(await dateErrors({ intent: "follow_up", dueOn: "2099-01-01", summary: "Call" })).toEqual(["Due date must be within five years."]);
    expect(await events()).toBe(before);
  });

  it("posts each form to its own heading and opens a refused one with links to its fields (no JavaScript needed)", async () => {
    const { html } = await renderPage("/statements/:slug/outreach/:code", postRequest(`${board}/NO`, { intent: "meeting", happenedOn: "", correspondent: "", summary: "Kept" }, nhcMember), CountryPage, countryLoader, countryAction);
    for (const anchor of ["log-reply", "log-meeting", "log-follow-up", "log-sent"]) expect(html).toContain(`action="${board}/NO#${anchor}"`);
    const meeting = html.slice(html.indexOf('id="log-meeting"'), html.indexOf('id="log-follow-up"'));
    expect(meeting).toContain('class="error-summary"');
    expect(meeting).toContain('<a href="#meeting-date">Date of the meeting is required.</a>');
    expect(meeting).toContain('<a href="#meeting-with">With whom is required.</a>');
    // Only the refused form has a summary.
    expect(html.split('class="error-summary"').length - 1).toBe(1);
  });
});

describe("meetings, follow-ups and letters sent outside Demarche", () => {
  it("logs a meeting, and refuses a bad one beside its fields with values kept", async () => {
    const before = await events();
    expect((await post({ intent: "meeting", happenedOn: "2025-03-01", correspondent: "Legal Adviser", summary: "Discussed Article 70", body: "Notes\r\nline two" })).status).toBe(302);
    const saved = await db.selectFrom("outreach_events").selectAll().orderBy("id", "desc").executeTakeFirstOrThrow();
    expect([saved.kind, saved.body]).toEqual(["meeting", "Notes\nline two"]);
    const bad = await post({ intent: "meeting", happenedOn: "", correspondent: "", summary: "Kept meeting", body: "" });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors).sort()).toEqual(["correspondent", "happenedOn"]);
    expect(bad.body.values.summary).toBe("Kept meeting");
    expect(await events()).toBe(before + 1);
  });

  it("adds a follow-up, lists it on a coordinator's home page once due, and marks it done", async () => {
    const res = await post({ intent: "follow_up", dueOn: "2025-04-01", summary: "Call the Legal Department" });
    expect(res.status).toBe(302);
    const id = (await db.selectFrom("outreach_events").select("id").where("kind", "=", "follow_up").orderBy("id", "desc").executeTakeFirstOrThrow()).id;
    const row = async () => (await settle(call(boardLoader, getRequest(board, nhcMember), { slug: SLUG }))).body.board.rows.find((r: { code: string }) => r.code === "NO");
    expect(await row()).toMatchObject({ status: "follow_up_due", followUpDue: "2025-04-01", followUpDueNow: true });
    const home = await renderPage("/", getRequest("/", coordinator), HomePage, homeLoader);
    expect(home.html).toContain(`data-follow-up="${id}"`);
    expect(home.html).toContain(`href="${board}/NO"`);
    expect(home.html).toContain("Call the Legal Department");
    // A member sees their own organisation's follow-ups; another organisation's member does not.
    const memberHome = await renderPage("/", getRequest("/", nhcMember), HomePage, homeLoader);
    expect(memberHome.html).toContain("Your organisation&#x27;s follow-ups due");
    expect(memberHome.html).toContain(`data-follow-up="${id}"`);
    const otherHome = await renderPage("/", getRequest("/", otherMember), HomePage, homeLoader);
    expect(otherHome.html).not.toContain(`data-follow-up="${id}"`);
    // "Mark done" says which follow-up, for those who cannot see the timeline around it.
    const statePage = await renderPage("/statements/:slug/outreach/:code", getRequest(`${board}/NO`, nhcMember), CountryPage, countryLoader);
    expect(statePage.html.replaceAll("<!-- -->", "")).toMatch(/Mark done<span class="visually-hidden">: Call the Legal Department \(due 1 April 2025\)<\/span>/);
    const boardPage = await renderPage("/statements/:slug/outreach", getRequest(board, nhcMember), BoardPage, boardLoader);
    expect(boardPage.html).toContain('data-due="now"');

    expect((await post({ intent: "follow_up", dueOn: "2025-13-01", summary: "" })).body.errors).toMatchObject({ dueOn: expect.any(Array), summary: expect.any(Array) });
    expect((await post({ intent: "follow_up_done", eventId: String(id) }, otherMember)).status).toBe(403);
    expect((await post({ intent: "follow_up_done", eventId: String(id) })).status).toBe(302);
    expect((await post({ intent: "follow_up_done", eventId: String(id) })).status).toBe(409);
    expect((await row()).status).toBe("meeting");
    const after = await renderPage("/", getRequest("/", coordinator), HomePage, homeLoader);
    expect(after.html).not.toContain(`data-follow-up="${id}"`);
    expect(after.html).toContain("No follow-up is due.");
  });

  it("removes an entry logged by mistake: status recomputed, reason required, audit kept, members only their own", async () => {
    const row = async () => (await settle(call(boardLoader, getRequest(board, nhcMember), { slug: SLUG }))).body.board.rows.find((r: { code: string }) => r.code === "NO");
    const statusBefore = (await row()).status;
    expect((await post({ intent: "meeting", happenedOn: "2025-05-02", correspondent: "Wrong state's ministry", summary: "Logged on Norway by mistake" })).status).toBe(302);
    const id = (await db.selectFrom("outreach_events").select("id").orderBy("id", "desc").executeTakeFirstOrThrow()).id;
    expect((await row()).status).toBe("meeting");
    const before = await events();
    // No reason: refused, nothing removed.
    const noReason = await post({ intent: "remove", eventId: String(id), reason: " " });
    expect(noReason.status).toBe(400);
    expect(noReason.body.formErrors.join(" ")).toMatch(/Say why/);
    // Another organisation's member cannot remove NHC's entry.
    expect((await post({ intent: "remove", eventId: String(id), reason: "not ours" }, otherMember)).status).toBe(403);
    expect(await events()).toBe(before);
    const removed = await post({ intent: "remove", eventId: String(id), reason: "Logged on the wrong state" });
    expect(removed.status).toBe(302);
    expect(await events()).toBe(before - 1);
    expect((await row()).status).toBe(statusBefore);
    const audit = await db.selectFrom("audit_log").select(["detail"]).where("action", "=", "outreach.event_removed").where("subject_id", "=", String(id)).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!)).toMatchObject({ reason: "Logged on the wrong state", event: { kind: "meeting", summary: "Logged on Norway by mistake" } });
    expect((await post({ intent: "remove", eventId: String(id), reason: "again" })).status).toBe(409);
  });

  it("logs a letter sent outside Demarche, members only for their own organisation", async () => {
    const before = await events();
    const refused = await post({ intent: "sent", happenedOn: "2025-01-20", organisationId: String(writerOrg.id), summary: "By post" });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.organisationId[0]).toMatch(/own organisation/);
    expect(refused.body.values.summary).toBe("By post");
    expect(await events()).toBe(before);
    const ok = await post({ intent: "sent", happenedOn: "2025-01-20", organisationId: String(writerOrg.id), summary: "" }, writerMember, "SE");
    expect(ok.status).toBe(302);
    const se = (await settle(call(boardLoader, getRequest(board, writerMember), { slug: SLUG }))).body.board.rows.find((r: { code: string }) => r.code === "SE");
    expect(se).toMatchObject({ status: "sent", sentBy: writerOrg.name, sentAt: "2025-01-20" });
  });
});

describe("who may log", () => {
  it("refuses another organisation's member with 403 and writes nothing; lets a member whose organisation wrote to the state", async () => {
    const before = await events();
    const refused = await post({ intent: "meeting", happenedOn: "2025-03-01", correspondent: "x", summary: "x", body: "" }, otherMember);
    expect(refused.status).toBe(403);
    expect((await settle(call(countryAction, multipart({ intent: "reply", happenedOn: "2025-03-01", correspondent: "x", summary: "x" }, null, otherMember), params()))).status).toBe(403);
    expect((await post({ intent: "meeting", happenedOn: "2025-03-01", correspondent: "x", summary: "x", body: "" }, writerMember)).status).toBe(403);
    expect(await events()).toBe(before);
    expect((await post({ intent: "meeting", happenedOn: "2025-03-02", correspondent: "UD", summary: "Met in Stockholm", body: "" }, writerMember, "SE")).status).toBe(302);
    expect((await post({ intent: "meeting", happenedOn: "2025-03-02", correspondent: "Quai d'Orsay", summary: "Coordinator logs anywhere", body: "" }, coordinator, "FR")).status).toBe(302);
    const page = await renderPage("/statements/:slug/outreach/:code", getRequest(`${board}/NO`, otherMember), CountryPage, countryLoader);
    expect(page.html).not.toContain('name="intent" value="reply"');
    expect(page.html).toContain("Only coordinators and members");
    expect((await settle(call(countryLoader, getRequest(`${board}/ZZ`, otherMember), params("ZZ")))).status).toBe(404);
  });
});

describe("hostile input", () => {
  it("stores HTML, scripts, bidi marks and 100,000 characters as text and shows them as text", async () => {
    const script = "<script>alert('x')</script><img src=x onerror=alert(1)>";
    const long = `${"\u202EReply text\r\n".repeat(7693)}<b>end</b>`;
    expect(long.length).toBeGreaterThanOrEqual(100_000);
    const res = await post({ intent: "reply", happenedOn: "2025-03-03", correspondent: script, summary: `${script} summary`, body: long }, coordinator, "DK");
    expect(res.status).toBe(302);
    const saved = await db.selectFrom("outreach_events").selectAll().orderBy("id", "desc").executeTakeFirstOrThrow();
    expect([saved.correspondent, saved.body]).toEqual([script, long.replace(/\r\n/g, "\n").trim()]);
    const page = await renderPage("/statements/:slug/outreach/:code", getRequest(`${board}/DK`, nhcMember), CountryPage, countryLoader);
    expect(page.html).not.toContain("<script>alert");
    expect(page.html).not.toContain("<img src=x");
    expect(page.html).toContain("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;");
    expect(page.html).toContain("&lt;b&gt;end&lt;/b&gt;");
    const boardPage = await renderPage("/statements/:slug/outreach", getRequest(board, nhcMember), BoardPage, boardLoader);
    expect(boardPage.html).not.toContain("<script>alert");
    expect(boardPage.html).toContain("Reply from &lt;script&gt;");
    const tooLong = await post({ intent: "meeting", happenedOn: "2025-03-03", correspondent: "x", summary: "x".repeat(501), body: "y".repeat(20_001) });
    expect(Object.keys(tooLong.body.errors).sort()).toEqual(["body", "summary"]);
  });

  it("shows a message's times in words, not as raw timestamps", async () => {
    await insertDispatch(db, { statement_id: statementId, country_code: "DK", organisation_id: nhcId, status: "sent", queued_at: "2026-11-23T23:46:07.922Z", sent_at: "2026-11-23T23:47:30.000Z" });
    const { html } = await renderPage("/statements/:slug/outreach/:code", getRequest(`${board}/DK`, coordinator), CountryPage, countryLoader);
    expect(html.replaceAll("<!-- -->", "")).toContain("Queued 23 Nov 2026, 23:46 UTC, sent 23 Nov 2026, 23:47 UTC");
    expect(html).not.toContain("2026-11-23T23:46");
  });

  it("shows the timeline newest first, with the letter, and a way back to the board", async () => {
    const { html } = await renderPage("/statements/:slug/outreach/:code", getRequest(`${board}/NO`, nhcMember), CountryPage, countryLoader);
    const days = [...html.matchAll(/<li data-event="[a-z_]+"><strong>([^<]+)<\/strong>/g)].map((m) => new Date(`${m[1]} UTC`).getTime());
    expect(days.length).toBeGreaterThan(3);
    expect([...days].sort((a, b) => b - a)).toEqual(days);
    expect(html).toMatch(/href="\/letters\/\d+"/);
    expect(html).toContain(`href="${board}"`);
    expect(html).toContain("Letter sent outside Demarche by Norwegian Helsinki Committee");
  });
});
