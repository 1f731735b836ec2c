// The letters the user may see (members: their organisation's; coordinators: all),
// newest first, each marked when its statement, recipients, sender or templates have
// changed since it was generated. Filters by statement and country. Letters approved
// for bulk sending are marked, with a link per statement to send the user's approved ones.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { FilterSelect } from "~/components/forms";
import { letterFilterSchema, listLetters } from "~/models/letter.server";
import { SOURCE_LABELS } from "~/models/letter-fingerprint.server";
import { letterStatusWords, sendingStatusByLetter } from "~/models/outbox/messages.server";
import { getDb } from "~/platform/db.server";
import { requireUser } from "~/web/guards.server";

export const meta: MetaFunction = () => [{ title: "Letters · Demarche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  const user = await requireUser(request, db);
  const url = new URL(request.url);
  const filters = letterFilterSchema.parse(Object.fromEntries(url.searchParams));
  // One listing (freshness is the costly part); the filters are applied here, since the
  // filter menus offer everything the unfiltered list contains.
  const every = await listLetters(db, user);
  const letters = every.filter((l) => (!filters.statement || l.statement_id === filters.statement) && (!filters.country || l.country_code === filters.country));
  const sending = await sendingStatusByLetter(db, letters.map((l) => l.id));
  // The filters offer what the user's letters contain, not every statement and country.
  const statements = [...new Map(every.map((l) => [l.statement_id, l.statement_title])).entries()].map(([id, title]) => ({ id, title }));
  const countries = [...new Map(every.map((l) => [l.country_code, l.country_name])).entries()].map(([code, name]) => ({ code, name }));
  // Bulk sending sends what this person approved (and what has not changed since).
  const approvedByMe = new Map<string, { slug: string; title: string; count: number }>();
  for (const l of every.filter((l) => l.approved_by === user.id && l.approved_fingerprint === l.fingerprint)) {
    const entry = approvedByMe.get(l.statement_slug) ?? { slug: l.statement_slug, title: l.statement_title, count: 0 };
    approvedByMe.set(l.statement_slug, { ...entry, count: entry.count + 1 });
  }
  return {
    filters,
    statements,
    countries,
    bulkSends: [...approvedByMe.values()],
    letters: letters.map((l) => ({
      approved: l.approved_fingerprint !== null && l.approved_fingerprint === l.fingerprint,
      id: l.id, statement: l.statement_title, country: l.country_name, sender: l.sender_name, date: l.letter_date, language: l.language,
      status: letterStatusWords(sending.get(l.id), l.approved_fingerprint !== null && l.approved_fingerprint === l.fingerprint),
      subject: l.rendered_subject, outOfDate: l.freshness.outOfDate, changed: l.freshness.changed.map((s) => SOURCE_LABELS[s]),
    })),
  };
}

export default function LettersPage() {
  const { filters, statements, countries, letters, bulkSends } = useLoaderData<typeof loader>();
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / Letters</p>
      <h1>Letters</h1>
      <p className="toolbar"><Link to="/letters/new">Write a letter…</Link> <Link to="/letters/bulk">Generate for all countries</Link> <Link to="/outbox">Outbox</Link></p>
      {bulkSends.length ? (
        <ul className="bulk-sends">
          {bulkSends.map((b) => <li key={b.slug}><Link to={`/statements/${b.slug}/send`}>Send the {b.count} {b.count === 1 ? "letter" : "letters"} you approved for {b.title}…</Link></li>)}
        </ul>
      ) : null}
      <Form method="get" className="toolbar">
        <FilterSelect label="Statement" name="statement" value={filters.statement} all="All statements" options={statements.map((s) => ({ value: s.id, label: s.title }))} />
        <FilterSelect label="Country" name="country" value={filters.country} all="All countries" options={countries.map((c) => ({ value: c.code, label: c.name }))} />
        <button type="submit" className="secondary">Filter</button>
      </Form>
      {letters.length === 0 ? <p className="empty">No letters yet.</p> : (
        <table>
          <thead><tr><th>Date</th><th>Country</th><th>Sender</th><th>Subject</th><th>Language</th><th>Status</th></tr></thead>
          <tbody>
            {letters.map((l) => (
              <tr key={l.id}>
                <td>{l.date}</td>
                <td>{l.country}</td>
                <td>{l.sender}</td>
                <td><Link to={`/letters/${l.id}`}>{l.subject}</Link><div className="muted">{l.statement}</div></td>
                <td>{l.language}</td>
                <td>
                  {l.status}{" "}
                  {l.approved && l.status !== "approved" ? <span className="badge ok">approved</span> : null}{" "}
                  {l.outOfDate ? <span className="badge bad" title={`Changed since it was generated: ${l.changed.join("; ")}`}>out of date</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
