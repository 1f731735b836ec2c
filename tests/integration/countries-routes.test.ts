// The public country pages and the states-parties API, through their real loaders on
// this file's own SQLite database.
import { beforeAll, describe, expect, it } from "vitest";
import { loader as apiLoader } from "~/routes/api.states-parties";
import { loader as listLoader } from "~/routes/countries._index";
import { loader as countryLoader } from "~/routes/countries.$code";
import { todayUtc } from "~/models/country.server";
import { migratedDb } from "../setup/db";
import { call, getRequest, settle } from "../factories";

beforeAll(async () => {
  await migratedDb();
});

const api = (query: string) => settle(call(apiLoader, getRequest(`/api/states-parties${query}`)));
const list = (query: string) => settle(call(listLoader, getRequest(`/countries${query}`)));
const country = (code: string) => settle(call(countryLoader, getRequest(`/countries/${code}`), { code }));

describe("GET /api/states-parties", () => {
  it("lists the 125 states parties on 2025-01-01 with their dates", async () => {
    const res = await api("?on=2025-01-01");
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toMatch(/max-age=\d+/);
    expect(res.body.on).toBe("2025-01-01");
    expect(res.body.count).toBe(125);
    expect(res.body.states).toHaveLength(125);
    expect(res.body.states).toContainEqual({
      code: "UA",
      name: "Ukraine",
      regionalGroup: "eastern-european",
      deposited: "2024-10-25",
      entryIntoForce: "2025-01-01",
    });
  });

  it("answers for today when no date is given", async () => {
    const res = await api("");
    expect(res.status).toBe(200);
    expect(res.body.on).toBe(todayUtc());
    expect(res.body.count).toBe(res.body.states.length);
  });

  it("refuses a date that does not exist, saying why", async () => {
    const res = await api("?on=2025-02-30");
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/not a real calendar date/);
    expect(res.body.error).toContain("2025-02-30");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
  });

  it("refuses garbage", async () => {
    for (const query of ["?on=garbage", "?on=2025-1-1", "?on=<script>"]) {
      const res = await api(query);
      expect(res.status, query).toBe(400);
      expect(res.body.error).toMatch(/YYYY-MM-DD/);
    }
  });
});

describe("GET /countries", () => {
  it("lists every state, each marked as a party or not today", async () => {
    const res = await list("");
    expect(res.status).toBe(200);
    expect(res.body.countries).toHaveLength(196);
    expect(res.body.filters).toEqual({ on: null, group: null, q: null });
    expect(res.body.dataset).toEqual({ source: expect.stringContaining("United Nations Treaty Collection"), as_of: "2026-11-23" });
    const us = res.body.countries.find((c: { code: string }) => c.code === "US");
    expect(us.is_party).toBe(false);
  });

  it("shows the states parties on a date, within a regional group, matching a search", async () => {
    expect((await list("?on=2025-01-01")).body.countries).toHaveLength(125);
    const african = await list("?on=2025-01-01&group=african&q=");
    expect(african.body.countries).toHaveLength(33);
    expect(african.body.countries.every((c: { is_party: boolean }) => c.is_party)).toBe(true);
    const search = await list("?on=2015-04-01&q=palest");
    expect(search.body.countries.map((c: { code: string }) => c.code)).toEqual(["PS"]);
  });

  it("returns an empty list when nothing matches", async () => {
    const res = await list("?on=2015-03-31&q=Palestine");
    expect(res.status).toBe(200);
    expect(res.body.countries).toEqual([]);
  });

  it("refuses an impossible date with an error on that field, keeping what was typed", async () => {
    const res = await list("?on=2025-02-30&group=african&q=ghana");
    expect(res.status).toBe(400);
    expect(res.body.errors.on).toEqual(["Date is not a real calendar date."]);
    expect(res.body.values).toEqual({ on: "2025-02-30", group: "african", q: "ghana" });
    expect(res.body.countries).toEqual([]);
  });

  it("refuses an unknown regional group", async () => {
    const res = await list("?group=martian");
    expect(res.status).toBe(400);
    expect(res.body.errors.group?.[0]).toMatch(/regional group/);
  });
});

describe("GET /countries/:code", () => {
  it("shows one country's facts", async () => {
    const res = await country("NO");
    expect(res.status).toBe(200);
    expect(res.body.country).toMatchObject({ name: "Norway", rs_deposited: "2000-02-16", rs_entry_into_force: "2002-07-01" });
    expect(res.body.instrument).toBe("ratification");
  });

  it("accepts a lower-case code and explains a withdrawal", async () => {
    const res = await country("bi");
    expect(res.body.country.code).toBe("BI");
    expect(res.body.standing).toBe("withdrawn");
  });

  it("shows Montenegro's succession", async () => {
    expect((await country("ME")).body.instrument).toBe("succession");
  });

  it("is 404 for an unknown or malformed code", async () => {
    for (const code of ["XX", "NOR", "1", "n%20"]) {
      const res = await country(code);
      expect(res.status, code).toBe(404);
    }
  });
});
