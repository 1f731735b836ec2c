import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../../app/platform/env.server";

describe("parseEnv", () => {
  it("has safe defaults for the embedded mode", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 3000, HOST: "127.0.0.1", DATABASE_PATH: "data/demarche.sqlite", mailMode: "sandbox", baseUrl: "http://127.0.0.1:3000" });
  });
  it("switches to SMTP when SMTP_URL is set", () => {
    expect(parseEnv({ SMTP_URL: "smtp://user:pw@mail.example.org:587" }).mailMode).toBe("smtp");
    expect(parseEnv({ SMTP_URL: "  " }).mailMode).toBe("sandbox");
  });
  it("names the bad variable", () => {
    expect(() => parseEnv({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => parseEnv({ SMTP_URL: "http://x" })).toThrow(/SMTP_URL/);
    expect(() => parseEnv({ MAIL_FROM: "not an address" })).toThrow(/MAIL_FROM/);
    expect(() => parseEnv({ SESSION_SECRET: "short" })).toThrow(/SESSION_SECRET/);
    expect(() => parseEnv({ DEMO_API_TOKEN: "has spaces in it and is long enough" })).toThrow(/DEMO_API_TOKEN/);
    expect(() => parseEnv({ BASE_URL: "demarche" })).toThrow(/BASE_URL/);
  });
  it("derives the base URL from HOST and PORT unless BASE_URL is given", () => {
    expect(parseEnv({ PORT: "8080", HOST: "0.0.0.0" }).baseUrl).toBe("http://127.0.0.1:8080");
    expect(parseEnv({ BASE_URL: "https://demarche.example.org/" }).baseUrl).toBe("https://demarche.example.org");
  });

  it("reads a mailbox only when IMAP_URL names one, with user and password", () => {
    expect(parseEnv({}).imap).toBeNull();
    expect(parseEnv({ IMAP_URL: "imaps://replies%40ngo.example:p%2Fss@imap.ngo.example/Letters%20back" }).imap).toEqual({
      host: "imap.ngo.example", port: 993, secure: true, user: "replies@ngo.example", password: "p/ss", mailbox: "Letters back", label: "replies@ngo.example@imap.ngo.example:993/Letters back",
    });
    expect(parseEnv({ IMAP_URL: "imap://u:p@127.0.0.1:1143" }).imap).toMatchObject({ port: 1143, secure: false, mailbox: "INBOX" });
    expect(() => parseEnv({ IMAP_URL: "imaps://imap.ngo.example/INBOX" })).toThrow(/IMAP_URL: must look like imaps:\/\/user:password@/);
    expect(() => parseEnv({ IMAP_URL: "https://u:p@imap.ngo.example" })).toThrow(/IMAP_URL/);
    expect(() => parseEnv({ IMAP_POLL_SECONDS: "1" })).toThrow(/IMAP_POLL_SECONDS: must be at least 5/);
  });

  it("sends bounces to the MAIL_FROM domain unless BOUNCE_DOMAIN says otherwise", () => {
    expect(parseEnv({ MAIL_FROM: "demarche@coalition.example" }).bounceDomain).toBe("coalition.example");
    expect(parseEnv({ MAIL_FROM: "demarche@coalition.example", BOUNCE_DOMAIN: "bounces.coalition.example" }).bounceDomain).toBe("bounces.coalition.example");
    expect(parseEnv({ BOUNCE_DOMAIN: "none" }).bounceDomain).toBeNull();
    expect(() => parseEnv({ BOUNCE_DOMAIN: "not a domain" })).toThrow(/BOUNCE_DOMAIN: must be a domain name/);
  });

  it("signs with DKIM only with all three settings and a readable PEM key, named when wrong", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dkim-"));
    const key = path.join(dir, "dkim.pem");
    fs.writeFileSync(key, generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }));
    const dkim = parseEnv({ DKIM_DOMAIN: "coalition.example", DKIM_SELECTOR: "demarche2026", DKIM_PRIVATE_KEY_PATH: key }).dkim;
    expect(dkim).toMatchObject({ domainName: "coalition.example", keySelector: "demarche2026" });
    expect(dkim?.privateKey).toMatch(/-----BEGIN PRIVATE KEY-----/);
    expect(parseEnv({}).dkim).toBeNull();
    expect(() => parseEnv({ DKIM_DOMAIN: "coalition.example" })).toThrow(/set all three to sign with DKIM, or none/);
    expect(() => parseEnv({ DKIM_DOMAIN: "coalition.example", DKIM_SELECTOR: "s1", DKIM_PRIVATE_KEY_PATH: path.join(dir, "missing.pem") })).toThrow(/DKIM_PRIVATE_KEY_PATH: cannot read/);
    fs.writeFileSync(path.join(dir, "junk.pem"), "not a key");
    expect(() => parseEnv({ DKIM_DOMAIN: "coalition.example", DKIM_SELECTOR: "s1", DKIM_PRIVATE_KEY_PATH: path.join(dir, "junk.pem") })).toThrow(/not a PEM private key/);
  });
});
