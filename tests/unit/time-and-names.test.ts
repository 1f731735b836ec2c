// The small shared formatters the pages use: timestamps in words (the same on the server
// and in the browser) and organisation names that already carry their acronym.
import { describe, expect, it } from "vitest";
import { timeInWords } from "~/lib/time-in-words";
import { acronymToAdd, organisationLabel } from "~/lib/organisation-name";

describe("timeInWords", () => {
  it("writes an ISO timestamp (or SQLite's) as day, short month, year and UTC time", () => {
    expect(timeInWords("2026-11-23T23:46:07.922Z")).toBe("23 Nov 2026, 23:46 UTC");
    expect(timeInWords("2026-11-23 23:46:07")).toBe("23 Nov 2026, 23:46 UTC");
    expect(timeInWords("2025-09-01T05:03:00+02:00")).toBe("1 Sep 2025, 03:03 UTC");
  });

  it("returns what it cannot read unchanged", () => {
    expect(timeInWords("soon")).toBe("soon");
  });
});

describe("organisationLabel", () => {
  it("adds the acronym once, not when the name already carries it", () => {
    expect(organisationLabel("Action des chrétiens activistes des droits de l'Homme à Shabunda (ACADHOSHA)", "ACADHOSHA")).toBe("Action des chrétiens activistes des droits de l'Homme à Shabunda (ACADHOSHA)");
    expect(organisationLabel("Human Rights Watch", "HRW")).toBe("Human Rights Watch (HRW)");
    expect(organisationLabel("REDRESS", "redress")).toBe("REDRESS");
    expect(organisationLabel("Al-Haq", null)).toBe("Al-Haq");
    expect(acronymToAdd("Foro Penal", "  ")).toBeNull();
  });
});
