// The template editor through its real loaders and actions, on the seeded demo: who
// gets in, the list, a preview of unsaved text (nothing stored), a refused save (error
// beside the textarea, text kept), a save, a revert behind its confirmation, and the
// demo letter going out of date and regenerating with the new version.
import { beforeAll, describe, expect, it } from "vitest";
import { renderPage, type RouteFn } from "../setup/render-page";
import ListPage, { loader as listLoader } from "~/routes/templates._index";
import EditorPage, { action as editorAction, loader as editorLoader } from "~/routes/templates.$";
import { action as letterAction, loader as letterLoader } from "~/routes/letters.$id._index";
import { defaultBody, templateFileOr404 } from "~/models/template-version.server";
import type { DB } from "~/platform/db.server";
import { seedIfEmpty } from "../../app/workflows/seed/index.server";
import { DEMO_STATEMENT_SLUG } from "../../app/workflows/seed/statements.server";
import { migratedDb } from "../setup/db";
import { call, createUser, getRequest, postRequest, sessionCookie, settle } from "../factories";

let db: DB;
let nhcId: number;
let statementId: number;
let demoId: number;
let coordinator: string;
let member: string;

const PATH = "en/cover-letter.text.hbs";
const URL_PATH = `/templates/${PATH}`;

beforeAll(async () => {
  db = await migratedDb();
  await seedIfEmpty(db, { DEMO_PASSWORD: "templates-routes-password", DEMO_API_TOKEN: undefined });
  nhcId = (await db.selectFrom("organisations").select("id").where("name", "=", "Norwegian Helsinki Committee").executeTakeFirstOrThrow()).id;
  statementId = (await db.selectFrom("statements").select("id").where("slug", "=", DEMO_STATEMENT_SLUG).executeTakeFirstOrThrow()).id;
  demoId = (await db.selectFrom("letters").select("id").where("organisation_id", "=", nhcId).executeTakeFirstOrThrow()).id;
  coordinator = await sessionCookie(db, (await createUser(db, { role: "coordinator" })).id);
  member = await sessionCookie(db, (await createUser(db, { role: "member", organisationId: nhcId })).id);
});

const versions = async () => Number((await db.selectFrom("template_versions").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
const original = () => defaultBody(templateFileOr404(PATH));
const edited = () => original().replace("Yours sincerely,", "EDITED-CLOSE,");
const previewForm = (body: string, extra: Record<string, string> = {}) => ({
  intent: "preview", body, baseVersion: "0", statementId: String(statementId), countryCode: "NO", organisationId: String(nhcId), date: "2025-01-14", note: "", ...extra,
});
const post = (fields: Record<string, string>, cookie = coordinator, path = PATH) => settle(call(editorAction, postRequest(`/templates/${path}`, fields, cookie), { "*": path }));

type Fn = RouteFn;
const render = renderPage;

describe("access", () => {
  it("sends anonymous visitors to the login page, refuses members with 403, and writes nothing for either", async () => {
    for (const [path, loader, params] of [["/templates", listLoader, {}], [URL_PATH, editorLoader, { "*": PATH }]] as const) {
      const anonymous = await settle(call(loader as Fn, getRequest(path), params));
      expect([anonymous.status, anonymous.headers.get("Location")]).toEqual([302, `/login?redirectTo=${encodeURIComponent(path)}`]);
      expect((await settle(call(loader as Fn, getRequest(path, member), params))).status).toBe(403);
    }
    expect((await settle(call(editorAction, postRequest(URL_PATH, { intent: "save", body: edited(), baseVersion: "0" }), { "*": PATH }))).status).toBe(302);
    expect((await post({ intent: "save", body: edited(), baseVersion: "0" }, member)).status).toBe(403);
    expect(await versions()).toBe(0);
  });

  it("answers 404 for a path that is not a template", async () => {
    for (const path of ["en/nope.hbs", "../../package.json", "en/language.json"]) {
      expect((await settle(call(editorLoader, getRequest(`/templates/${path}`, coordinator), { "*": path }))).status).toBe(404);
      expect((await post({ intent: "save", body: "x", baseVersion: "0" }, coordinator, path)).status).toBe(404);
    }
  });
});

describe("the pages", () => {
  it("lists the templates by language, with the shared partials", async () => {
    const { html } = await render("/templates", getRequest("/templates", coordinator), ListPage, listLoader);
    expect(html).toContain("English (en)");
    expect(html).toContain("Shared partials (every language)");
    expect(html).toContain(`href="/templates/nb/cover-letter.html.hbs"`);
    expect(html).toContain(`href="/templates/partials/demands.text.hbs"`);
  });

  it("previews the unsaved text against Norway and NHC, storing nothing", async () => {
    const res = await post(previewForm(edited()));
    expect(res.status).toBe(200);
    expect(res.body.preview.text).toContain("EDITED-CLOSE,");
    expect(res.body.preview.text).toContain("Espen Barth Eide");
    expect(await versions()).toBe(0);
    const page = await render("/templates/*", postRequest(URL_PATH, previewForm(edited()), coordinator), EditorPage, editorLoader, editorAction);
    expect(page.html).toMatch(/<iframe[^>]*sandbox=""[^>]*srcDoc=|<iframe[^>]*srcDoc=[^>]*sandbox=""/);
    expect(page.html).toMatch(/<pre class="letter-text">[^<]*EDITED-CLOSE,/);
  });

  it("refuses a broken edit beside the textarea, keeping the text, and stores nothing", async () => {
    const broken = original().replace("Yours sincerely,", "{{sincerly}}");
    const res = await post({ intent: "save", body: broken, baseVersion: "0", note: "typo" });
    expect(res.status).toBe(400);
    expect(res.body.errors.body[0]).toMatch(/emails\/letters\/en\/cover-letter\.text\.hbs \(edited\) \(line \d+\).*sincerly/);
    expect(res.body.values.body).toBe(broken);
    expect(await versions()).toBe(0);
    const page = await render("/templates/*", postRequest(URL_PATH, { intent: "save", body: broken, baseVersion: "0" }, coordinator), EditorPage, editorLoader, editorAction);
    expect(page.status).toBe(400);
    expect(page.html).toMatch(/<textarea[^>]*aria-invalid="true"/);
    expect(page.html).toContain("{{sincerly}}");
    expect(page.html).toContain("sincerly&quot; not defined");
  });

  it("saves a version, and the demo letter goes out of date and regenerates with it", async () => {
    const res = await post({ intent: "save", body: edited().replace(/\n/g, "\r\n"), baseVersion: "0", note: "Warmer close" });
    expect([res.status, res.headers.get("Location")]).toEqual([302, `${URL_PATH}?done=saved&version=1`]);
    expect((await db.selectFrom("template_versions").select("body").executeTakeFirstOrThrow()).body).toBe(edited()); // CRLF from the browser stored as LF

    const letter = await settle(call(letterLoader, getRequest(`/letters/${demoId}`, coordinator), { id: String(demoId) }));
    expect([letter.body.outOfDate, letter.body.changed]).toEqual([true, ["the letter templates"]]);
    await settle(call(letterAction, postRequest(`/letters/${demoId}`, { intent: "regenerate" }, coordinator), { id: String(demoId) }));
    const after = await settle(call(letterLoader, getRequest(`/letters/${demoId}`, coordinator), { id: String(demoId) }));
    expect(after.body.outOfDate).toBe(false);
    expect(after.body.letter.text).toContain("EDITED-CLOSE,");
  });

  it("reverts behind a confirmation, as a new version", async () => {
    await post({ intent: "save", body: `${edited()}\nSecond edit.\n`, baseVersion: "1" });
    const confirm = await render("/templates/*", getRequest(`${URL_PATH}?confirm=1`, coordinator), EditorPage, editorLoader);
    expect(confirm.html).toContain("Revert to version 1?");
    expect(confirm.html).toContain("Yes, revert to version 1");
    const res = await post({ intent: "revert", version: "1", baseVersion: "2" });
    expect([res.status, res.headers.get("Location")]).toEqual([302, `${URL_PATH}?done=reverted&version=3`]);
    const page = await render("/templates/*", getRequest(`${URL_PATH}?done=reverted&version=3`, coordinator), EditorPage, editorLoader);
    expect(page.html).toContain("Reverted to version 1");
    // Each version says what it changed against the text before it.
    expect(page.html).toContain("+1 −1 lines against the file"); // version 1: one line of the close
    expect(page.html).toContain("+2 −0 lines against version 1"); // version 2: a blank line and "Second edit."
    expect(page.html).toContain("+0 −2 lines against version 2"); // version 3: back to version 1's text
    expect(page.html).toContain('<span class="diff-added"><span class="visually-hidden">added: </span>+ EDITED-CLOSE,');
    expect(page.html).toContain("Back to the file default");
    expect((await post({ intent: "revert", version: "default", baseVersion: "3" })).status).toBe(302);
    expect(await versions()).toBe(4);
    const loaded = await settle(call(editorLoader, getRequest(URL_PATH, coordinator), { "*": PATH }));
    expect(loaded.body.current).toEqual({ body: original(), version: 4, fromFile: true });
  });

  it("refuses triple braces on a plain field in an HTML template", async () => {
    const path = "en/cover-letter.html.hbs";
    const body = defaultBody(templateFileOr404(path)).replace("<body", "{{{sender.name}}}<body");
    const res = await post({ intent: "save", body, baseVersion: "0" }, coordinator, path);
    expect(res.status).toBe(400);
    expect(res.body.errors.body[0]).toMatch(/cover-letter\.html\.hbs \(edited\).*unescaped HTML/);
  });
});
