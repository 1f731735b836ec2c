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
});
