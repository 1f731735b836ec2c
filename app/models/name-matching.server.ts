// Is this organisation already on the list? Names arrive typed by hand, pasted from
// Word, or crafted to slip past a moderator, so we compare folded forms:
// - nameKey: exact identity. Case, accents, punctuation, spacing, zero-width and
//   look-alike letters (Cyrillic "А" for Latin "A") do not count. An exact match is
//   the same organisation and is refused.
// - near matches: same acronym, same organisation email domain, the same name once
//   easily-confused glyphs (l/I/1, O/0) are merged, or one or two typos apart. A
//   near match is only flagged for the moderator: "Al-Haq" and "Al-Haq Europe" are
//   two organisations and both may sign.
import { remove as removeConfusables } from "confusables";
import { distance } from "fastest-levenshtein";

const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]/g;

function withoutLookAlikes(s: string): string {
  // The confusables table maps capital I-like letters (Cyrillic І, Greek Ι) to "l";
  // keep them capital "I" so that case folding afterwards agrees with Latin "I".
  let out = "";
  for (const ch of s) {
    const mapped = removeConfusables(ch);
    out += mapped === "l" && ch !== ch.toLowerCase() ? "I" : mapped;
  }
  return out;
}

// Every approval compares the sign-on with the whole directory (hundreds of approvals in
// one bulk decision), and folding a name costs microseconds a letter: remember the keys.
// The function is pure, so the only limit the cache needs is its size.
const KEYS = new Map<string, string>();
const MAX_KEYS = 50_000;

/** The exact-identity key of an organisation name. */
export function nameKey(name: string): string {
  let key = KEYS.get(name);
  if (key === undefined) {
    if (KEYS.size >= MAX_KEYS) KEYS.clear();
    KEYS.set(name, (key = foldName(name)));
  }
  return key;
}

function foldName(name: string): string {
  const visible = name.normalize("NFKC").replace(INVISIBLE, "");
  return withoutLookAlikes(visible)
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** A looser key: glyphs people and fonts confuse are merged, spaces dropped. */
export function looseKey(name: string): string {
  return nameKey(name).replace(/[l1|]/g, "i").replace(/0/g, "o").replace(/rn/g, "m").replace(/ /g, "");
}

export function acronymKey(acronym: string | null | undefined): string | null {
  const key = acronym ? nameKey(acronym).replace(/ /g, "") : "";
  return key.length >= 2 ? key : null;
}

// Mail providers shared by unrelated organisations: a shared domain proves nothing.
const SHARED_MAIL_DOMAINS = new Set([
  "gmail.com", "googlemail.com", "yahoo.com", "yahoo.fr", "yahoo.co.uk", "hotmail.com", "hotmail.fr", "outlook.com",
  "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "proton.me", "protonmail.com", "gmx.de", "gmx.net",
  "web.de", "mail.ru", "yandex.ru", "orange.fr", "free.fr", "laposte.net", "zoho.com", "example.org", "example.com",
]);

/** The organisation's own mail domain, or null for shared providers. */
export function organisationEmailDomain(email: string | null | undefined): string | null {
  const domain = email?.split("@")[1]?.trim().toLowerCase();
  return domain && !SHARED_MAIL_DOMAINS.has(domain) ? domain : null;
}

export interface Comparable {
  name: string;
  acronym?: string | null;
  email?: string | null;
}

export type NearReason = "similar name" | "same acronym" | "same email domain";

/** Why `a` and `b` might be one organisation; empty when they look distinct. */
export function nearReasons(a: Comparable, b: Comparable): NearReason[] {
  const reasons: NearReason[] = [];
  const [la, lb] = [looseKey(a.name), looseKey(b.name)];
  const typos = Math.min(la.length, lb.length) >= 12 ? 2 : Math.min(la.length, lb.length) >= 6 ? 1 : 0;
  if (la === lb || distance(la, lb) <= typos) reasons.push("similar name");
  const [aa, ab] = [acronymKey(a.acronym), acronymKey(b.acronym)];
  if (aa && aa === ab) reasons.push("same acronym");
  const [da, db] = [organisationEmailDomain(a.email), organisationEmailDomain(b.email)];
  if (da && da === db) reasons.push("same email domain");
  return reasons;
}

/** The exact duplicate among `existing`, and the near ones with their reasons. */
export function findDuplicates<T extends Comparable>(candidate: Comparable, existing: T[]) {
  const key = nameKey(candidate.name);
  let exact: T | null = null;
  const near: { match: T; reasons: NearReason[] }[] = [];
  for (const other of existing) {
    if (!exact && nameKey(other.name) === key) exact = other;
    else {
      const reasons = nearReasons(candidate, other);
      if (reasons.length) near.push({ match: other, reasons });
    }
  }
  return { exact, near };
}

/**
 * Near-duplicate candidates without comparing every pair: nearReasons allows at most
 * two typos, so only names whose loose keys differ in length by two or less can be
 * "similar"; acronyms and mail domains are looked up directly. Thousands of entries
 * times a queue of hundreds stays a few milliseconds.
 */
export class NearIndex<T> {
  private byLength = new Map<number, T[]>();
  private byAcronym = new Map<string, T[]>();
  private byDomain = new Map<string, T[]>();

  constructor(rows: T[], private comparable: (row: T) => Comparable) {
    for (const row of rows) {
      const c = comparable(row);
      push(this.byLength, looseKey(c.name).length, row);
      const acronym = acronymKey(c.acronym);
      if (acronym) push(this.byAcronym, acronym, row);
      const domain = organisationEmailDomain(c.email);
      if (domain) push(this.byDomain, domain, row);
    }
  }

  candidates(item: Comparable): Set<T> {
    const length = looseKey(item.name).length;
    const found = new Set<T>();
    for (let d = -2; d <= 2; d++) for (const r of this.byLength.get(length + d) ?? []) found.add(r);
    const acronym = acronymKey(item.acronym);
    for (const r of (acronym && this.byAcronym.get(acronym)) || []) found.add(r);
    const domain = organisationEmailDomain(item.email);
    for (const r of (domain && this.byDomain.get(domain)) || []) found.add(r);
    return found;
  }

  /** The rows that might be `item`'s organisation, each with why. */
  near(item: Comparable): { row: T; reasons: NearReason[] }[] {
    return [...this.candidates(item)].flatMap((row) => {
      const reasons = nearReasons(item, this.comparable(row));
      return reasons.length ? [{ row, reasons }] : [];
    });
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
