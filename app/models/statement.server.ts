import type { DB } from "~/services/db.server";

export async function findStatementBySlug(db: DB, slug: string) {
  if (!/^[a-z0-9][a-z0-9-]{0,79}$/.test(slug)) return undefined;
  return db.selectFrom("statements").selectAll().where("slug", "=", slug).executeTakeFirst();
}

/** The statement, or a 404 response thrown for the route to show. */
export async function requireStatement(db: DB, slug: string | undefined) {
  const statement = slug ? await findStatementBySlug(db, slug) : undefined;
  if (!statement) throw new Response("There is no statement at this address.", { status: 404, statusText: "Not Found" });
  return statement;
}
