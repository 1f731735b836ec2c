import { describe, expect, it } from "vitest";
import { crossOriginRejection } from "../../app/web/csrf.server";

const base = { host: "127.0.0.1:3000", baseUrl: "http://127.0.0.1:3000" };

describe("crossOriginRejection", () => {
  it("lets reads through", () => {
    expect(crossOriginRejection({ ...base, method: "GET", origin: "https://evil.example" })).toBeNull();
  });
  it("accepts a form posted from our own pages", () => {
    expect(crossOriginRejection({ ...base, method: "POST", origin: "http://127.0.0.1:3000", cookie: "s=1" })).toBeNull();
    expect(crossOriginRejection({ ...base, method: "POST", referer: "http://127.0.0.1:3000/people", cookie: "s=1" })).toBeNull();
  });
  it("refuses a forged cross-site post", () => {
    expect(crossOriginRejection({ ...base, method: "POST", origin: "https://evil.example", cookie: "s=1" })).toMatch(/another site/);
    expect(crossOriginRejection({ ...base, method: "POST", origin: "null", referer: "https://evil.example/x", cookie: "s=1" })).toMatch(/another site/);
    expect(crossOriginRejection({ ...base, method: "DELETE", cookie: "s=1" })).toMatch(/Origin/);
  });
  it("exempts token-only API calls, which carry no ambient credentials", () => {
    expect(crossOriginRejection({ ...base, method: "POST", authorization: "Bearer dmr_x" })).toBeNull();
    expect(crossOriginRejection({ ...base, method: "POST", authorization: "Bearer dmr_x", cookie: "s=1", origin: "https://evil.example" })).toMatch(/another site/);
  });
});
