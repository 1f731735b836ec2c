// The export page: the four downloads of a statement's signatories, each with what
// it holds and how many rows. The files themselves come from statements.$slug.export.$format.ts.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireStatement, signatureCounts } from "~/models/statement.server";
import { getDb } from "~/platform/db.server";
import { requireCoordinator } from "~/web/guards.server";
import { answering } from "~/web/respond.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Export · ${data?.statement.title ?? "Statement"} · Demarche` }];

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  await requireCoordinator(request, db);
  const statement = await requireStatement(db, params.slug);
  const counts = await signatureCounts(db, statement.id);
  const all = Object.values(counts).reduce((a, b) => a + b, 0);
  return { statement: { slug: statement.slug, title: statement.title }, all, approved: counts.approved };
});

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

export default function ExportPage() {
  const { statement: s, all, approved } = useLoaderData<typeof loader>();
  const listed = plural(approved, "approved signatory", "approved signatories");
  const downloads = [
    { file: "signatories.csv", label: "CSV for spreadsheets", what: `Every signature with all its fields and its status: ${plural(all, "signature", "signatures")}, contact details included. Keep it private.` },
    { file: "signatories.txt", label: "Plain text", what: `The list as published: the lead-in line, ${listed} one per line in display order, then the footnotes.` },
    { file: "signatories.md", label: "Markdown", what: `The same list for a website or a Markdown document: ${listed}.` },
    { file: "signatories.json", label: "JSON", what: `The statement's title, date, language, lead-in and footnotes with ${listed}, for other software.` },
  ];
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / <Link to="/statements">Statements</Link> / <Link to={`/statements/${s.slug}`}>{s.title}</Link> / Export</p>
      <h1>Export signatories</h1>
      <p className="muted">Only approved signatures appear in the published forms (text, Markdown, JSON); the CSV holds every signature, whatever its status.</p>
      <table>
        <thead><tr><th>Download</th><th>What it holds</th></tr></thead>
        <tbody>
          {downloads.map((d) => (
            <tr key={d.file}>
              <td><a href={`/statements/${s.slug}/export/${d.file}`} download>{d.label}</a><br /><span className="muted">{d.file}</span></td>
              <td>{d.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p><Link to={`/statements/${s.slug}/import`}>Import signatories</Link></p>
    </section>
  );
}
