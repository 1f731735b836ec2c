// With DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_PATH set, what the app sends is
// signed: the production server (sandbox mode, so the captured copy is exactly what
// would go out) signs the sign-on email with the configured domain and selector.
// Verifying the signature itself needs the key in DNS; nodemailer's signer is tested
// by its authors, so this checks that ours is switched on and names the right key.
import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDatabase } from "../../db/connection";
import { addOpenStatement, startServer, type RunningServer } from "../setup/server";

let server: RunningServer;
const SLUG = "dkim-statement";

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dkim-"));
  const key = path.join(dir, "dkim.pem");
  fs.writeFileSync(key, generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }));
  server = await startServer({ DKIM_DOMAIN: "coalition.example", DKIM_SELECTOR: "demarche2026", DKIM_PRIVATE_KEY_PATH: key, MAIL_FROM: "demarche@coalition.example" });
  await addOpenStatement(server.databasePath, SLUG, "Signed mail");
}, 60_000);
afterAll(() => server?.stop());

it("signs the platform's mail with the configured domain and selector", async () => {
  const res = await fetch(`${server.url}/s/${SLUG}/sign`, {
    method: "POST", redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
    body: new URLSearchParams({ name: "Signed Mail Org", acronym: "", country: "NO", website: "", contact_name: "Sig Ned", contact_title: "Director", email: "sig@signed.example", note: "", consent: "yes" }).toString(),
  });
  expect(res.status).toBe(302);
  const db = openDatabase(server.databasePath);
  try {
    const row = await db.selectFrom("mailbox_messages").select("raw").where("to_addresses", "like", "%sig@signed.example%").executeTakeFirstOrThrow();
    const headers = Buffer.from(row.raw).toString("utf8").split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, " ");
    const signature = /^DKIM-Signature: (.*)$/im.exec(headers)?.[1] ?? "";
    expect(signature).toMatch(/\bd=coalition\.example;/);
    expect(signature).toMatch(/\bs=demarche2026;/);
    expect(signature).toMatch(/\bbh=[A-Za-z0-9+/=]+;/);
    expect(signature).toMatch(/\bb=[A-Za-z0-9+/= ]{100,}/);
  } finally {
    await db.destroy();
  }
});
