// The Rome Statute reference data and the one rule that says who is a party on a day.
// Expected numbers come from the depositary (UNTC XVIII-10) and the ICC's own lists.
import { beforeAll, describe, expect, it } from "vitest";
import { migratedDb } from "../setup/db";
import { entryIntoForceFor, getCountriesDataset, getCountry, listCountries, statesPartiesOn } from "../../app/models/country.server";
import { loadCountries, parseCountriesFile } from "../../app/workflows/seed/countries.server";
import file from "../../db/seed/countries.json";
import type { DB } from "../../app/platform/db.server";

let db: DB;
beforeAll(async () => {
  db = await migratedDb();
});

const codes = (rows: { code: string }[]) => rows.map((r) => r.code);

describe("entryIntoForceFor (Article 126)", () => {
  it.each([
    ["1999-02-02", "2002-07-01"], // Senegal, the first instrument
    ["2000-02-16", "2002-07-01"], // Norway
    ["2002-04-11", "2002-07-01"], // the 60th instrument and the ceremony that day
    ["2002-05-15", "2002-08-01"], // Greece, the first after the 60th
    ["2002-12-03", "2003-03-01"], // the 60th day is 1 February, so the month after is March
    ["2013-02-15", "2013-05-01"], // Côte d'Ivoire
    ["2015-01-02", "2015-04-01"], // State of Palestine
    ["2016-03-03", "2016-06-01"], // El Salvador
    ["2019-11-26", "2020-02-01"], // Kiribati
    ["2023-11-14", "2024-02-01"], // Armenia
    ["2024-10-25", "2025-01-01"], // Ukraine
    ["2023-12-02", "2024-02-01"], // the 60th day is 31 January: the next day is the date
    ["2023-12-03", "2024-03-01"], // the 60th day is 1 February: a month later
  ])("deposit on %s enters into force on %s", (deposited, expected) => {
    expect(entryIntoForceFor(deposited)).toBe(expected);
  });

  it("refuses dates that do not exist", () => {
    expect(() => entryIntoForceFor("2025-02-30")).toThrow(RangeError);
    expect(() => entryIntoForceFor("yesterday")).toThrow(RangeError);
  });
});

describe("statesPartiesOn", () => {
  it("counts 66 parties (60 or more) on the day the Statute entered into force", async () => {
    // 66 instruments had been deposited by 11 April 2002, all in force on 1 July 2002.
    expect((await statesPartiesOn(db, "2002-07-01")).length).toBe(66);
    expect((await statesPartiesOn(db, "2002-06-30")).length).toBe(0);
  });

  it("has 123 parties on 2015-04-01, with Palestine from that day only", async () => {
    const on = await statesPartiesOn(db, "2015-04-01");
    expect(on.length).toBe(123);
    expect(codes(on)).toContain("PS");
    expect(codes(await statesPartiesOn(db, "2015-03-31"))).not.toContain("PS");
  });

  it("has 125 parties on 2025-01-01, Ukraine included, and on 2025-01-14 (Norway and 124 others)", async () => {
    const newYear = await statesPartiesOn(db, "2025-01-01");
    expect(newYear.length).toBe(125);
    expect(codes(newYear)).toContain("UA");
    expect(codes(await statesPartiesOn(db, "2024-12-31"))).not.toContain("UA");
    const letter = await statesPartiesOn(db, "2025-01-14");
    expect(letter.length).toBe(125);
    expect(codes(letter)).toContain("NO");
  });

  it("counts the ICC's regional groups on 2025-01-01", async () => {
    const byGroup: Record<string, number> = {};
    for (const c of await statesPartiesOn(db, "2025-01-01")) byGroup[c.regional_group ?? "none"] = (byGroup[c.regional_group ?? "none"] ?? 0) + 1;
    expect(byGroup).toEqual({
      african: 33,
      "asia-pacific": 19,
      "eastern-european": 20,
      "latin-american-caribbean": 28,
      "western-european-other": 25,
    });
  });

  it("drops Burundi on 27 October 2017", async () => {
    expect(codes(await statesPartiesOn(db, "2017-10-26"))).toContain("BI");
    for (const day of ["2017-10-27", "2017-10-28", "2025-01-01"]) expect(codes(await statesPartiesOn(db, day))).not.toContain("BI");
  });

  it("drops the Philippines on 17 March 2019", async () => {
    expect(codes(await statesPartiesOn(db, "2019-03-16"))).toContain("PH");
    expect(codes(await statesPartiesOn(db, "2019-03-17"))).not.toContain("PH");
  });

  it("drops Hungary on 2 June 2026", async () => {
    expect(codes(await statesPartiesOn(db, "2026-06-01"))).toContain("HU");
    expect(codes(await statesPartiesOn(db, "2026-06-02"))).not.toContain("HU");
    expect((await statesPartiesOn(db, "2026-06-02")).length).toBe(124);
  });

  it("orders by name as people read it", async () => {
    const names = (await statesPartiesOn(db, "2025-01-01")).map((c) => c.name);
    expect(names.indexOf("Côte d'Ivoire")).toBeLessThan(names.indexOf("Croatia"));
    expect(names[0]).toBe("Afghanistan");
  });

  it("refuses an impossible date rather than answering wrongly", async () => {
    await expect(statesPartiesOn(db, "2025-02-30")).rejects.toThrow(RangeError);
  });
});

describe("the stored data", () => {
  it("has Norway's dates", async () => {
    const norway = await getCountry(db, "no", "2025-01-14");
    expect(norway).toMatchObject({ rs_deposited: "2000-02-16", rs_entry_into_force: "2002-07-01", rs_instrument: "ratification", is_party: true });
  });

  it("follows Article 126 for every deposit after 11 April 2002", async () => {
    const rows = await db.selectFrom("countries").selectAll().where("rs_deposited", ">", "2002-04-11").execute();
    expect(rows.length).toBeGreaterThan(50);
    for (const c of rows) {
      // Montenegro succeeded to the Statute: bound from independence (3 June 2006).
      if (c.code === "ME") {
        expect(c.rs_entry_into_force).toBe("2006-06-03");
        continue;
      }
      expect(c.rs_entry_into_force, c.name).toBe(entryIntoForceFor(c.rs_deposited!));
    }
  });

  it("has one entry per UN member and observer state plus the Cook Islands", async () => {
    const all = await listCountries(db, {});
    expect(all.length).toBe(196);
    expect(codes(all)).toEqual(expect.arrayContaining(["PS", "VA", "CK"]));
  });

  it("records where it came from", async () => {
    expect(await getCountriesDataset(db)).toEqual({ source: expect.stringContaining("XVIII"), as_of: "2026-11-23" });
  });
});

describe("listCountries", () => {
  it("filters by date, group and an accent-blind search", async () => {
    expect((await listCountries(db, { partiesOn: "2025-01-01", regionalGroup: "african" })).length).toBe(33);
    expect(codes(await listCountries(db, { q: "cote d'ivoire" }))).toEqual(["CI"]);
    expect(codes(await listCountries(db, { q: "NOR" }))).toContain("NO");
    expect(await listCountries(db, { q: "Atlantis" })).toEqual([]);
  });

  it("marks each state as a party or not on the date asked", async () => {
    const rows = await listCountries(db, { q: "Burundi", statusOn: "2017-01-01" });
    expect(rows[0].is_party).toBe(true);
    expect((await listCountries(db, { q: "Burundi", statusOn: "2018-01-01" }))[0].is_party).toBe(false);
  });
});

describe("loadCountries", () => {
  it("does nothing when the countries are already loaded", async () => {
    expect(await loadCountries(db)).toEqual({ loaded: false, count: 196 });
    const { n } = await db.selectFrom("countries").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(Number(n)).toBe(196);
    expect((await db.selectFrom("reference_datasets").selectAll().execute()).length).toBe(1);
  });

  it("loads an emptied table again, keeping one dataset row", async () => {
    await db.deleteFrom("countries").execute();
    expect(await loadCountries(db)).toEqual({ loaded: true, count: 196 });
    expect((await db.selectFrom("reference_datasets").selectAll().execute()).length).toBe(1);
    expect((await statesPartiesOn(db, "2025-01-01")).length).toBe(125);
  });

  it("refuses a file with an impossible date or an entry into force that breaks Article 126", () => {
    const broken = structuredClone(file);
    const norway = broken.countries.find((c) => c.code === "NO")!;
    norway.deposited = "2000-02-30";
    expect(() => parseCountriesFile(broken)).toThrow(/NO|countries\.\d+\.deposited/);
    norway.deposited = "2003-01-01";
    expect(() => parseCountriesFile(broken)).toThrow(/does not follow Article 126/);
  });

  it("refuses a duplicated code", () => {
    const broken = structuredClone(file);
    broken.countries.push({ ...broken.countries[0] });
    expect(() => parseCountriesFile(broken)).toThrow(/appears twice/);
  });
});
