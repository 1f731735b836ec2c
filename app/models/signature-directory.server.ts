// Signatures and the organisation directory (issue #11). Approving a sign-on links it
// to the organisation it is, found the way duplicates are: the same name key, or one
// organisation whose name is a typo or a look-alike away. Only a name links: a shared
// acronym or mail domain alone is shown as "similar", because KHRC writing from an
// Amnesty address is still KHRC. With nothing to link to, the organisation is added
// to the directory from what it typed. The queue shows the same verdict before the
// coordinator decides, and flags near twins of directory organisations that have not
// signed this statement (those that have are flagged among the signatures already).
import type { Signature } from "../../db/schema";
import type { DB } from "~/platform/db.server";
import { recordAudit, type ChangeContext } from "./audit.server";
import { nameKey, NearIndex, type Comparable, type NearReason } from "./name-matching.server";
import { createOrganisation } from "./organisation.server";
import { shownName } from "./signature.server";

export type DirectoryLink = { kind: "existing"; id: number; name: string; reasons: string[] } | { kind: "new" };
export interface DirectorySimilar {
  id: number;
  name: string;
  reasons: NearReason[];
}

type SignOn = Pick<Signature, "organisation_id" | "organisation_name" | "display_name" | "acronym" | "contact_email">;
type Entry = { id: number; name: string; acronym: string | null; contact_email: string | null };

const comparable = (e: Entry): Comparable => ({ name: e.name, acronym: e.acronym, email: e.contact_email });
const signOnComparable = (s: SignOn): Comparable => ({ name: shownName(s), acronym: s.acronym, email: s.contact_email });

const readEntries = (db: DB): Promise<Entry[]> => db.selectFrom("organisations").select(["id", "name", "acronym", "contact_email"]).orderBy("id").execute();

/** The directory read once, to judge many sign-ons of one statement against it. */
export class Directory {
  private byId = new Map<number, Entry>();
  private byKey = new Map<string, Entry>();
  private index: NearIndex<Entry>;

  private constructor(entries: Entry[], private signed: Set<number>) {
    for (const e of entries) {
      this.byId.set(e.id, e);
      const key = nameKey(e.name);
      if (!this.byKey.has(key)) this.byKey.set(key, e); // the oldest of two same-named entries
    }
    this.index = new NearIndex(entries, comparable);
  }

  static async load(db: DB, statementId: number): Promise<Directory> {
    const entries = await readEntries(db);
    // Organisations already on this statement, by link or by name: a near twin of one
    // of them is a duplicate among the signatures, reported there.
    const signatures = await db.selectFrom("signatures").select(["organisation_id", "name_key"]).where("statement_id", "=", statementId).where("status", "!=", "rejected").execute();
    const keys = new Set(signatures.map((s) => s.name_key));
    const signed = new Set(signatures.flatMap((s) => (s.organisation_id === null ? [] : [s.organisation_id])));
    for (const e of entries) if (keys.has(nameKey(e.name))) signed.add(e.id);
    return new Directory(entries, signed);
  }

  /** The directory for linking only: which organisations signed is not needed for that. */
  static async forLinking(db: DB): Promise<Directory> {
    return new Directory(await readEntries(db), new Set());
  }

  /** The organisation approving `signOn` links it to, or "new" (added to the directory). */
  linkFor(signOn: SignOn): DirectoryLink {
    const known = signOn.organisation_id === null ? undefined : this.byId.get(signOn.organisation_id);
    if (known) return { kind: "existing", id: known.id, name: known.name, reasons: ["already linked"] };
    for (const name of [shownName(signOn), signOn.organisation_name]) {
      const same = this.byKey.get(nameKey(name));
      if (same) return { kind: "existing", id: same.id, name: same.name, reasons: ["same name"] };
    }
    // One typo or look-alike away from exactly one entry: that is the organisation.
    const byName = this.index.near(signOnComparable(signOn)).filter((m) => m.reasons.includes("similar name"));
    if (byName.length === 1) return { kind: "existing", id: byName[0].row.id, name: byName[0].row.name, reasons: byName[0].reasons };
    return { kind: "new" };
  }

  /** Near twins in the directory that have not signed this statement, the linked one aside. */
  similarTo(signOn: SignOn, link: DirectoryLink = this.linkFor(signOn)): DirectorySimilar[] {
    return this.index
      .near(signOnComparable(signOn))
      .filter((m) => !(link.kind === "existing" && m.row.id === link.id) && !this.signed.has(m.row.id))
      .map((m) => ({ id: m.row.id, name: m.row.name, reasons: m.reasons }))
      .sort((a, b) => a.id - b.id);
  }

  /** What the queue shows for `signOn`. */
  describe(signOn: SignOn): { link: DirectoryLink; similar: DirectorySimilar[] } {
    const link = this.linkFor(signOn);
    return { link, similar: this.similarTo(signOn, link) };
  }
}

/**
 * Links an approved signature to its organisation, adding the organisation to the
 * directory when none matches. Call it in the approval's transaction; audited.
 */
export async function linkToDirectory(trx: DB, ctx: ChangeContext, signature: Signature & { statement_id: number }): Promise<{ organisationId: number; created: boolean }> {
  const link = (await Directory.forLinking(trx)).linkFor(signature);
  const created = link.kind === "new";
  const organisationId = link.kind === "existing"
    ? link.id
    : await createOrganisation(trx, ctx, {
        name: shownName(signature), acronym: signature.acronym, country_code: signature.country_code, website: signature.website,
        // The contact's address is a person's, given for this statement: not the organisation's.
        contact_email: null, postal_address: null, city: null,
      });
  if (signature.organisation_id !== organisationId) {
    await trx.updateTable("signatures").set({ organisation_id: organisationId }).where("id", "=", signature.id).execute();
    await recordAudit(trx, { ...ctx, action: "signature.linked", subjectType: "signature", subjectId: signature.id, detail: { organisationId, created, name: shownName(signature) } });
  }
  return { organisationId, created };
}
