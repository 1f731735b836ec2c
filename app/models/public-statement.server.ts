// What the public sees of a statement: the page at /s/:slug and the JSON API read
// the same snapshot, so they can never disagree.
//
// Visibility is the life cycle's (PUBLIC_STATUSES, LISTED_STATUSES in
// statement-lifecycle.server.ts): drafts are never public; a closed statement still is,
// and its page says that signing is closed. Only the API's index follows the issue to
// the letter and lists open and published statements.
import type { StatementStatus } from "../../db/schema";
import type { DB } from "~/platform/db.server";
import { approvedSignatories, type ListedSignatory } from "./signatory-list.server";
import { acceptsSignatures, LISTED_STATUSES, PUBLIC_STATUSES, signingEndsAt } from "./statement-lifecycle.server";

const SLUG = /^[a-z0-9][a-z0-9-]{0,79}$/;

export interface PublicStatement {
  id: number;
  /** statements.version, read in the same transaction as everything else here. */
  version: number;
  slug: string;
  title: string;
  date: string;
  language: string;
  status: StatementStatus;
  author: { name: string; acronym: string | null } | null;
  bodyMarkdown: string;
  leadIn: string;
  signingDeadline: string | null;
  publishedAt: string | null;
  textUpdatedAt: string | null;
  points: string[];
  footnotes: { mark: string; text: string }[];
  signatories: ListedSignatory[];
}

/**
 * The public snapshot of a statement, or undefined for drafts and unknown slugs.
 * One transaction, so the version always describes exactly the data returned: a
 * page cached under that version is never older than its version says.
 */
export async function findPublicStatement(db: DB, slug: string): Promise<PublicStatement | undefined> {
  if (!SLUG.test(slug)) return undefined;
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("statements as s")
      .leftJoin("organisations as o", "o.id", "s.author_organisation_id")
      .select([
        "s.id", "s.version", "s.slug", "s.title", "s.statement_date", "s.language", "s.status", "s.body_markdown",
        "s.lead_in", "s.signing_deadline", "s.published_at", "s.text_updated_at", "o.name as author_name", "o.acronym as author_acronym",
      ])
      .where("s.slug", "=", slug)
      .where("s.status", "in", PUBLIC_STATUSES)
      .executeTakeFirst();
    if (!row) return undefined;
    const points = await trx.selectFrom("statement_points").select("text").where("statement_id", "=", row.id).orderBy("position").orderBy("id").execute();
    const footnotes = await trx.selectFrom("statement_footnotes").select(["mark", "text"]).where("statement_id", "=", row.id).orderBy("id").execute();
    const signatories = await approvedSignatories(trx, row.id, row.language);
    return {
      id: row.id,
      version: row.version,
      slug: row.slug,
      title: row.title,
      date: row.statement_date,
      language: row.language,
      status: row.status,
      author: row.author_name === null ? null : { name: row.author_name, acronym: row.author_acronym },
      bodyMarkdown: row.body_markdown,
      leadIn: row.lead_in,
      signingDeadline: row.signing_deadline,
      publishedAt: row.published_at,
      textUpdatedAt: row.text_updated_at,
      points: points.map((p) => p.text),
      footnotes,
      signatories,
    };
  });
}

/** Open and published statements with their approved-signatory counts, newest first. */
export async function listPublicStatements(db: DB) {
  return db
    .selectFrom("statements as s")
    .select((eb) => [
      "s.slug",
      "s.title",
      "s.statement_date as date",
      "s.status",
      eb
        .selectFrom("signatures as g")
        .select((g) => g.fn.countAll<number>().as("n"))
        .whereRef("g.statement_id", "=", "s.id")
        .where("g.status", "=", "approved")
        .as("signatoryCount"),
    ])
    .where("s.status", "in", LISTED_STATUSES)
    .orderBy("s.statement_date", "desc")
    .orderBy("s.id", "desc")
    .execute();
}

const asStored = (s: Pick<PublicStatement, "status" | "signingDeadline">) => ({ status: s.status, signing_deadline: s.signingDeadline });

/** Whether the page offers the sign-on form now; the lifecycle rules decide. */
export function isSigningOpen(s: Pick<PublicStatement, "status" | "signingDeadline">, now = Date.now()): boolean {
  return acceptsSignatures(asStored(s), new Date(now));
}

/** Epoch ms at which the page stops offering the sign-on form by itself (its deadline), or null. */
export function signingEndsFor(s: Pick<PublicStatement, "status" | "signingDeadline">, now = Date.now()): number | null {
  return signingEndsAt(asStored(s), new Date(now));
}

/** The shape of GET /api/statements/:slug (what coalition websites embed). */
export function publicStatementJson(s: PublicStatement, now = Date.now()) {
  return {
    slug: s.slug,
    title: s.title,
    date: s.date,
    language: s.language,
    status: s.status,
    signingOpen: isSigningOpen(s, now),
    signingDeadline: s.signingDeadline,
    publishedAt: s.publishedAt,
    textUpdatedAt: s.textUpdatedAt,
    author: s.author,
    body: s.bodyMarkdown,
    points: s.points,
    leadIn: s.leadIn,
    footnotes: s.footnotes,
    signatoryCount: s.signatories.length,
    signatories: s.signatories.map((g) => ({ name: g.name, acronym: g.acronym, country: g.country, footnoteMark: g.footnoteMark })),
  };
}
