import { describe, expect, it } from "vitest";
import { findDuplicates, nameKey, nearReasons, organisationEmailDomain } from "~/models/name-matching.server";

describe("nameKey", () => {
  it("treats case, spacing, punctuation and accents as the same organisation", () => {
    expect(nameKey(" amnesty  international.")).toBe(nameKey("Amnesty International"));
    expect(nameKey("Réseau Equitas Côte d'Ivoire")).toBe(nameKey("reseau equitas cote d ivoire"));
    expect(nameKey("Al-Haq")).toBe(nameKey("Al Haq"));
  });
  it("ignores zero-width and direction characters, and full-width forms", () => {
    expect(nameKey("Amnesty\u200B Inter\u200Dnational\u202E")).toBe(nameKey("Amnesty International"));
    expect(nameKey("ＡＭＮＥＳＴＹ")).toBe(nameKey("amnesty"));
  });
  it("sees through look-alike letters from other scripts", () => {
    expect(nameKey("Аmnеsty Іnternational")).toBe(nameKey("Amnesty International")); // Cyrillic А, е, І
    expect(nameKey("REDRЕSS")).toBe(nameKey("REDRESS")); // Cyrillic Е
  });
  it("keeps different organisations apart", () => {
    expect(nameKey("Al-Haq")).not.toBe(nameKey("Al-Haq Europe"));
    expect(nameKey("International Commission of Jurists")).not.toBe(nameKey("International Commission of Jurists Norway (ICJ Norway)"));
  });
});

describe("near matches", () => {
  it("flags typos, shared acronyms and shared organisation domains", () => {
    expect(nearReasons({ name: "Human Rights Wacth" }, { name: "Human Rights Watch" })).toContain("similar name");
    expect(nearReasons({ name: "Asia Justice Coalition", acronym: "AJC" }, { name: "AJC network", acronym: "A.J.C." })).toContain("same acronym");
    expect(nearReasons({ name: "X", email: "a@nhc.no" }, { name: "Y", email: "b@NHC.no" })).toEqual(["same email domain"]);
  });
  it("does not treat a shared mail provider or a distinct name as a match", () => {
    expect(organisationEmailDomain("someone@gmail.com")).toBeNull();
    expect(nearReasons({ name: "Al-Haq", email: "a@gmail.com" }, { name: "Al-Haq Europe", email: "b@gmail.com" })).toEqual([]);
  });
  it("separates the exact duplicate from the near ones", () => {
    const existing = [{ name: "Amnesty International", id: 1 }, { name: "Amnesty Internationl", id: 2 }, { name: "Al-Haq", id: 3 }];
    const result = findDuplicates({ name: " amnesty  international." }, existing);
    expect(result.exact?.id).toBe(1);
    expect(result.near.map((n) => n.match.id)).toEqual([2]);
  });
});
