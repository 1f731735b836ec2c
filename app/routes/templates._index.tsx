// The letter templates coordinators may edit, grouped by language (shared partials
// last), each with its number of saved versions and whether it differs from its file.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { languageName } from "~/models/recipient.server";
import { listTemplates } from "~/models/template-version.server";
import { getDb } from "~/platform/db.server";
import { requireCoordinator } from "~/web/guards.server";

export const meta: MetaFunction = () => [{ title: "Letter templates · Demarche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  await requireCoordinator(request, db);
  const templates = await listTemplates(db);
  const groups = [...new Set(templates.map((t) => t.language))].map((language) => ({
    key: language ?? "shared",
    heading: language ? `${languageName(language)} (${language})` : "Shared partials (every language)",
    templates: templates.filter((t) => t.language === language),
  }));
  return { groups };
}

export default function Templates() {
  const { groups } = useLoaderData<typeof loader>();
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / Templates</p>
      <h1>Letter templates</h1>
      <p className="lead">The files in emails/letters are the defaults. An edit here is saved as a new version and used by every letter generated after it; saved letters show as out of date until they are regenerated.</p>
      {groups.map((g) => (
        <section key={g.key} aria-labelledby={`group-${g.key}`}>
          <h2 id={`group-${g.key}`}>{g.heading}</h2>
          <table>
            <thead><tr><th scope="col">Template</th><th scope="col">Versions</th><th scope="col">Text in use</th></tr></thead>
            <tbody>
              {g.templates.map((t) => (
                <tr key={t.path}>
                  <td><Link to={`/templates/${t.path}`}>{t.path}</Link></td>
                  <td>{t.versions}</td>
                  <td>{t.edited ? <span className="badge">edited{t.updatedAt ? ` ${t.updatedAt.slice(0, 10)}` : ""}</span> : <span className="badge ok">the file</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </section>
  );
}
