// What came back makes each recipient's address status (issue 12), on a real migrated
// SQLite file, with the reports stored the way the mailbox reader stores them
// (recordInbound): a hard bounce makes it bouncing, one soft bounce soft-bouncing, three
// soft bounces bouncing, a delivery after a bounce delivered again; addresses compare
// case-insensitively; a report naming no address counts for the message's To and Cc; and
// the recipients page and the coverage page say so (the diagnostic only to those who
// see the addresses).
import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~/platform/db.server";
import { addressStatuses, recipientStatuses } from "~/models/recipient-address-status.server";
import { addRecipient, recipientsSeenBy } from "~/models/recipient.server";
import { coverageOn } from "~/models/coverage.server";
import { addressStatusWords } from "~/lib/address-status";
import { migratedDb } from "../setup/db";
import { report, sentTo } from "../setup/address-reports";
import { createOrganisation, createUser } from "../factories";

let db: DB;
const ctx = { actor: null, ip: null };
const today = () => new Date().toISOString().slice(0, 10);
const statusOf = async (address: string) => (await addressStatuses(db, [address])).get(address.toLowerCase())!;

beforeAll(async () => {
  db = await migratedDb();
});

describe("an address's status from what came back", () => {
  it("is ok while nothing has come back", async () => {
    expect(await statusOf("nobody.wrote@mfa.example")).toEqual({ state: "ok" });
  });

  it("is bouncing after one hard bounce, with the day and the diagnostic; addresses compare case-insensitively", async () => {
    const sent = await sentTo(db, ["Hard.Bounce@MFA.example"]);
    await report(db, "hard", sent.token, "hard.bounce@mfa.example");
    const status = await statusOf("HARD.bounce@mfa.EXAMPLE");
    expect(status).toMatchObject({ state: "bouncing", hard: true, diagnostic: "5.1.1 550 5.1.1 User unknown" });
    expect(status.state === "bouncing" && status.at.slice(0, 10)).toBe(today());
    expect(addressStatusWords(status)).toMatch(/^bouncing: refused on \d+ \w+ \d{4}$/);
  });

  it("is soft-bouncing after one soft bounce, with the count", async () => {
    const sent = await sentTo(db, ["soft.once@mfa.example"]);
    await report(db, "soft", sent.token, "soft.once@mfa.example");
    expect(await statusOf("soft.once@mfa.example")).toMatchObject({ state: "soft-bouncing", count: 1, diagnostic: "4.4.7 451 4.4.7 try later" });
  });

  it("is bouncing after three soft bounces with no delivery between", async () => {
    const sent = await sentTo(db, ["soft.thrice@mfa.example"]);
    await report(db, "soft", sent.token, "soft.thrice@mfa.example");
    await report(db, "soft", sent.token, "soft.thrice@mfa.example");
    expect(await statusOf("soft.thrice@mfa.example")).toMatchObject({ state: "soft-bouncing", count: 2 });
    await report(db, "soft", sent.token, "soft.thrice@mfa.example");
    const status = await statusOf("soft.thrice@mfa.example");
    expect(status).toMatchObject({ state: "bouncing", hard: false, count: 3 });
    expect(addressStatusWords(status)).toMatch(/^bouncing: 3 temporary failures in a row, the last on /);
  });

  it("is delivered again after a delivery that follows a bounce (the address was fixed), and counts soft bounces only since", async () => {
    const sent = await sentTo(db, ["fixed@mfa.example"]);
    await report(db, "hard", sent.token, "fixed@mfa.example");
    expect((await statusOf("fixed@mfa.example")).state).toBe("bouncing");
    await report(db, "delivered", (await sentTo(db, ["fixed@mfa.example"])).token, "fixed@mfa.example");
    expect(await statusOf("fixed@mfa.example")).toMatchObject({ state: "delivered" });
    const later = await sentTo(db, ["fixed@mfa.example"]);
    await report(db, "soft", later.token, "fixed@mfa.example");
    await report(db, "soft", later.token, "fixed@mfa.example");
    expect(await statusOf("fixed@mfa.example")).toMatchObject({ state: "soft-bouncing", count: 2 });
  });

  it("counts a report that names no address for every To and Cc address of its message, and one that names one for that one only", async () => {
    const sent = await sentTo(db, ["unnamed.to@mfa.example"], ["unnamed.cc@mfa.example"]);
    await report(db, "hard", sent.token, null);
    const both = await addressStatuses(db, ["unnamed.to@mfa.example", "unnamed.cc@mfa.example"]);
    expect([both.get("unnamed.to@mfa.example")?.state, both.get("unnamed.cc@mfa.example")?.state]).toEqual(["bouncing", "bouncing"]);
    const named = await sentTo(db, ["named.to@mfa.example"], ["named.cc@mfa.example"]);
    await report(db, "hard", named.token, "named.cc@mfa.example");
    const one = await addressStatuses(db, ["named.to@mfa.example", "named.cc@mfa.example"]);
    expect([one.get("named.to@mfa.example")?.state, one.get("named.cc@mfa.example")?.state]).toEqual(["ok", "bouncing"]);
  });

  it("takes a message marked delivered with no report stored as a delivery to each of its addresses", async () => {
    const bounced = await sentTo(db, ["marked@mfa.example"]);
    await report(db, "soft", bounced.token, "marked@mfa.example");
    const later = await sentTo(db, ["marked@mfa.example"]);
    await db.updateTable("dispatches").set({ delivery: "delivered", delivery_at: new Date(Date.now() + 1000).toISOString() }).where("id", "=", later.id).execute();
    expect(await statusOf("marked@mfa.example")).toMatchObject({ state: "delivered" });
  });
});

describe("recipients and coverage", () => {
  it("show a bouncing recipient on the list (the reason only to those who see addresses) and flag its country on the coverage page", async () => {
    const id = await addRecipient(db, ctx, "IS", { name: "Þorgerður Katrín Gunnarsdóttir", title: "Minister for Foreign Affairs", institution: null, email: "Minister@MFA.is", salutation: "Dear Minister,", language: "en", kind: "addressee", checked_on: today() });
    const copy = await addRecipient(db, ctx, "IS", { name: "Desk officer", title: "Legal Affairs", institution: null, email: "legal@mfa.is", salutation: null, language: "en", kind: "copy", checked_on: today() });
    await addRecipient(db, ctx, "IS", { name: "No address", title: "Embassy", institution: null, email: null, salutation: null, language: "en", kind: "copy", checked_on: today() });
    await report(db, "hard", (await sentTo(db, ["minister@mfa.is"])).token, "minister@mfa.is");

    const statuses = await recipientStatuses(db, [{ id, email: "Minister@MFA.is" }, { id: copy, email: "legal@mfa.is" }, { id: 0, email: null }]);
    expect([statuses.get(id)?.state, statuses.get(copy)?.state, statuses.has(0)]).toEqual(["bouncing", "ok", false]);

    const coordinator = await createUser(db, { role: "coordinator" });
    const outsider = await createUser(db, { role: "member", organisationId: (await createOrganisation(db)).id });
    const full = (await recipientsSeenBy(db, coordinator, "IS")).recipients;
    expect(full.map((r) => r.status?.state ?? null)).toEqual(["bouncing", "ok", null]);
    expect(full[0].status).toMatchObject({ diagnostic: "5.1.1 550 5.1.1 User unknown" });
    const roles = (await recipientsSeenBy(db, outsider, "IS")).recipients;
    expect(roles[0].status).toMatchObject({ state: "bouncing", diagnostic: null });

    const row = (await coverageOn(db, today(), today())).groups.flatMap((g) => g.rows).find((r) => r.code === "IS")!;
    expect(row.gaps).toContainEqual({ kind: "bouncing", recipients: [{ who: "Þorgerður Katrín Gunnarsdóttir, Minister for Foreign Affairs", at: today() }] });
    const hidden = (await coverageOn(db, today(), today(), { namesShownFor: new Set() })).groups.flatMap((g) => g.rows).find((r) => r.code === "IS")!;
    expect(hidden.gaps).toContainEqual({ kind: "bouncing", recipients: [{ who: "Minister for Foreign Affairs", at: today() }] });
  });
});
