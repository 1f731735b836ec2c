// One bulk run: how many of its letters' PDFs are ready, failed or still being made
// (the page reloads itself while any is pending; rendering happens in the background,
// never here), its letters, the countries it skipped and why, and the ZIP download:
// of all PDFs when all are ready, or of the ready ones, naming those missing.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { batchProgress, requireBatch } from "~/models/letter-batch.server";
import { getDb } from "~/platform/db.server";
import { requireUser } from "~/web/guards.server";
import { answering } from "~/web/respond.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Letters for all countries #${data?.batch.id ?? ""} · Demarche` },
  ...(data && !data.progress.done ? [{ httpEquiv: "refresh", content: "3" } as const] : []),
];

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const batch = await requireBatch(db, user, params.id, "Only the person who generated these letters and coordinators can see them.");
  const [progress, statement, sender] = await Promise.all([
    batchProgress(db, batch),
    db.selectFrom("statements").select(["title", "slug"]).where("id", "=", batch.statement_id).executeTakeFirst(),
    db.selectFrom("organisations").select("name").where("id", "=", batch.organisation_id).executeTakeFirst(),
  ]);
  return { batch: { id: batch.id, createdAt: batch.created_at, statement: statement?.title ?? "", sender: sender?.name ?? "" }, progress };
});

export default function LetterBatchPage() {
  const { batch, progress } = useLoaderData<typeof loader>();
  const { counts, letters, skipped, deleted, done } = progress;
  const missing = letters.filter((l) => l.state !== "ready");
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / <Link to="/letters">Letters</Link> / For all countries #{batch.id}</p>
      <h1>Letters for all countries</h1>
      <p>{batch.statement}, from {batch.sender}.</p>
      <p role="status" aria-live="polite">
        PDFs: {counts.ready} of {counts.total} ready, {counts.failed} failed, {counts.pending} being prepared.
        {done ? null : " This page reloads every few seconds."}
      </p>
      {counts.total > 0 ? <progress max={counts.total} value={counts.ready + counts.failed} /> : null}
      {counts.ready > 0 ? (
        <p className="toolbar">
          <a href={`/letters/bulk/${batch.id}/zip`} download>Download ZIP</a>
          {missing.length ? <span> (the {counts.ready} ready PDFs; missing: {missing.map((l) => l.countryName).join(", ")})</span> : <span> (all {counts.total} PDFs)</span>}
        </p>
      ) : null}
      <h2>Letters</h2>
      {letters.length ? (
        <table>
          <thead><tr><th>Country</th><th>Date</th><th>Language</th><th>PDF</th></tr></thead>
          <tbody>
            {letters.map((l) => (
              <tr key={l.id}>
                <td><Link to={`/letters/${l.id}`}>{l.countryName}</Link></td>
                <td>{l.date}</td>
                <td>{l.language}</td>
                <td>
                  {l.state === "ready" ? <a href={`/letters/${l.id}/pdf`}>ready</a> : l.state === "failed" ? (
                    <>failed: {l.error} <a href={`/letters/${l.id}/pdf?retry=1`}>Try again</a></>
                  ) : "being prepared"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p>No letter was written.</p>}
      {deleted.length ? <p className="muted">{deleted.length} letter(s) of this batch have since been deleted.</p> : null}
      {skipped.length ? (
        <>
          <h2>Skipped countries</h2>
          <ul>{skipped.map((s) => <li key={s.country}><strong>{s.country}</strong>: {s.reason}</li>)}</ul>
        </>
      ) : null}
    </section>
  );
}
