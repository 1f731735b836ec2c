// A ministry's reply arrives in the mailbox, and the board, the map and the state's page
// change with nobody typing (issue 12). Real Dovecot, real server reading it over IMAP,
// real Chromium; the ministry's mail reaches the mailbox over SMTP (our mail exchanger,
// which delivers into Dovecot). The letter to Finland is a sent message in the server's database; the
// reply cites its Message-ID, as a mail program answering it does.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { openDatabase } from "../../db/connection";
import { insertDispatches } from "../../app/models/outbox/queue.server";
import { axeViolations, launchBrowser, signInAsDemoCoordinator, watchPolicyViolations } from "../setup/browser";
import { describeWithImap, startImapServer, type ImapServer } from "../setup/imap";
import { plainMail, sendRaw, startMailExchanger } from "../setup/inbound-mail";
import { DEMO_PASSWORD, startServer, type RunningServer } from "../setup/server";

const SLUG = "oppose-sanctions-icc-2025";
let imap: ImapServer;
let exchanger: Awaited<ReturnType<typeof startMailExchanger>>;
let server: RunningServer;
let browser: Browser;
let letterMessageId: string;
let statementId: number;

describeWithImap("a reply by mail", () => {
  beforeAll(async () => {
    imap = await startImapServer();
    exchanger = await startMailExchanger(imap);
    [server, browser] = await Promise.all([startServer({ IMAP_URL: imap.url, IMAP_POLL_SECONDS: "5" }), launchBrowser()]);
    const db = openDatabase(server.databasePath);
    try {
      const statement = await db.selectFrom("statements").select("id").where("slug", "=", SLUG).executeTakeFirstOrThrow();
      statementId = statement.id;
      const org = await db.selectFrom("organisations").select("id").where("name", "like", "Norwegian Helsinki%").executeTakeFirstOrThrow();
      const [id] = await insertDispatches(db as never, [{
        dedupeKey: "e2e:reply:FI", kind: "letter", letterId: null, letterFingerprint: null, statementId: statement.id, countryCode: "FI", organisationId: org.id,
        mode: "smtp", from: { name: "NHC via Demarche", address: "demarche@coalition.example" }, replyTo: null,
        to: [{ name: "Ulkoministeri", address: "kirjaamo@um.example" }], cc: [], subject: "Sanctions against the ICC", html: "<p>Letter</p>", text: "Letter",
        attachmentFilename: null, queuedBy: null, messageIdDomain: "coalition.example",
      }]);
      const at = new Date().toISOString();
      await db.updateTable("dispatches").set({ status: "sent", handed_at: at, sent_at: at }).where("id", "=", id).execute();
      letterMessageId = (await db.selectFrom("dispatches").select("message_id").where("id", "=", id).executeTakeFirstOrThrow()).message_id;
    } finally {
      await db.destroy();
    }
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await exchanger?.close();
    await imap?.stop();
  });

  it("shows the reply on the board, the map and Finland's page once it is in the mailbox", { timeout: 90_000 }, async () => {
    const page = await (await browser.newContext()).newPage();
    const refused = watchPolicyViolations(page);
    await signInAsDemoCoordinator(page, server.url, DEMO_PASSWORD);
    const board = `${server.url}/statements/${SLUG}/outreach`;
    await page.goto(board);
    await expect.poll(() => page.locator('tr[data-code="FI"]').getAttribute("data-status")).toBe("sent");

    await sendRaw(exchanger.port, plainMail("<fi-answer@um.example>", "Re: Sanctions against the ICC", `In-Reply-To: ${letterMessageId}\nReferences: ${letterMessageId}`), ["advocacy@nhc.example"], "kirjaamo@um.example");

    // Nobody types: the page is only reloaded until the reader has been by.
    await expect.poll(async () => {
      await page.reload();
      return page.locator('tr[data-code="FI"]').getAttribute("data-status");
    }, { timeout: 45_000, interval: 1000 }).toBe("replied");
    const map = await (await page.request.get(`${board}/map.svg`)).text();
    expect(map).toMatch(/data-code="FI" data-status="replied"/);

    await page.locator('tr[data-code="FI"]').getByRole("link", { name: "Finland" }).click();
    const timeline = page.locator("ol.timeline");
    await expect.poll(() => timeline.locator('li[data-event="reply"]').textContent()).toContain("Read from the mailbox");
    await timeline.getByRole("link", { name: /Read the email/ }).click();
    await expect.poll(() => page.locator("pre").first().textContent()).toBe("Just a message.");
    expect(await page.locator("dd[data-kind]").textContent()).toBe("a reply");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("link", { name: "Back to the state's page" }).click();
    await page.waitForURL(/\/outreach\/FI$/);
    await page.goto(`${server.url}/received`);
    expect(await axeViolations(page)).toEqual([]);
    expect(refused).toEqual([]);
  });

  it("puts a stranger's mail in the queue, where a coordinator attaches it to a state (without JavaScript)", { timeout: 90_000 }, async () => {
    const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    page.setDefaultTimeout(15_000);
    await signInAsDemoCoordinator(page, server.url, DEMO_PASSWORD);
    await sendRaw(exchanger.port, plainMail("<se-answer@gov.example>", "Svar: Internationella brottmålsdomstolen"), ["advocacy@nhc.example"], "registrator@gov.example");
    await expect.poll(async () => {
      await page.goto(`${server.url}/received`);
      return page.getByRole("link", { name: "Svar: Internationella brottmålsdomstolen" }).count();
    }, { timeout: 45_000, interval: 1000 }).toBe(1);
    await page.getByRole("link", { name: "Svar: Internationella brottmålsdomstolen" }).click();
    // Nothing chosen: said beside the fields, nothing stored.
    await page.getByRole("button", { name: "Attach as this state's reply" }).click();
    expect(await page.getByText("Choose the statement this mail is about.").count()).toBe(1);
    await page.getByLabel("Statement").selectOption(String(statementId));
    await page.getByLabel("State", { exact: true }).selectOption({ label: "Sweden" });
    await page.getByRole("button", { name: "Attach as this state's reply" }).click();
    await page.waitForURL(/\/outreach\/SE/);
    expect(await page.getByRole("status").textContent()).toContain("attached as this state's reply");
    expect(await page.locator('li[data-event="reply"]').textContent()).toContain("Attached from the mail received");
    await page.goto(`${server.url}/received`);
    expect(await page.getByRole("link", { name: "Svar: Internationella brottmålsdomstolen" }).count()).toBe(0);
  });
});
