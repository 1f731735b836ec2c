// The confirmation step before publishing: what will become public, in numbers, and
// what will not (signatures still waiting for approval).
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorList } from "~/components/forms";
import { StatusBadge } from "~/components/statement-form";
import { changeContext } from "~/models/audit.server";
import { requireStatement } from "~/models/statement.server";
import { allowedTransitions, transitionStatement } from "~/models/statement-lifecycle.server";
import { getDb } from "~/platform/db.server";
import { statementOverview } from "~/workflows/statement-overview.server";
import { formError } from "~/web/forms.server";
import { clientIp } from "~/platform/session.server";
import { requireCoordinator } from "~/web/guards.server";
import { answering, failure } from "~/web/respond.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Publish ${data?.statement.title ?? "statement"} · Demarche` }];

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  await requireCoordinator(request, db);
  const { statement, parts, counts } = await statementOverview(db, params.slug);
  return {
    statement,
    author: parts.author?.name ?? null,
    points: parts.points.length,
    footnotes: parts.footnotes.map((f) => f.mark),
    approved: counts.approved,
    waiting: counts.pending + counts.unverified,
    canPublish: allowedTransitions(statement.status).some((t) => t.name === "publish"),
  };
});

export const action = /* @__PURE__ */ answering(async ({ request, params }: ActionFunctionArgs) => {
  const db = getDb();
  const user = await requireCoordinator(request, db);
  const statement = await requireStatement(db, params.slug);
  const form = await request.formData();
  if (form.get("confirm") !== "yes") return formError(form, "Confirm by pressing “Publish now”.");
  try {
    await transitionStatement(db, changeContext(user, clientIp(request)), statement.id, "publish");
  } catch (error) {
    return failure(error, form);
  }
  return redirect(`/statements/${statement.slug}?publish=1`);
});

export default function PublishStatement() {
  const { statement: s, author, points, footnotes, approved, waiting, canPublish } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section>
      <p className="breadcrumbs">
        <Link to="/">Home</Link> / <Link to="/statements">Statements</Link> / <Link to={`/statements/${s.slug}`}>{s.title}</Link> / Publish
      </p>
      <h1>Publish this statement? <StatusBadge status={s.status} /></h1>
      <ErrorList errors={actionData?.formErrors} />
      {!canPublish ? (
        <p className="empty">
          Only a closed statement can be published; this one is {s.status}. <Link to={`/statements/${s.slug}`}>Back to the statement</Link>.
        </p>
      ) : (
        <>
          <p>Publishing makes the following public at /s/{s.slug} and in the API:</p>
          <dl className="facts">
            <dt>Title</dt><dd>{s.title}</dd>
            <dt>Date</dt><dd>{s.statement_date}</dd>
            <dt>Author</dt><dd>{author ?? <span className="muted">none</span>}</dd>
            <dt>Text</dt><dd>{s.body_markdown.length.toLocaleString("en")} characters</dd>
            <dt>Demands</dt><dd>{points} {points === 1 ? "point" : "points"}</dd>
            <dt>Lead-in line</dt><dd>{s.lead_in || <span className="muted">none</span>}</dd>
            <dt>Signatories</dt><dd><strong>{approved}</strong> approved {approved === 1 ? "organisation" : "organisations"}</dd>
            <dt>Footnotes</dt><dd>{footnotes.length ? footnotes.join(" ") : <span className="muted">none</span>}</dd>
          </dl>
          {waiting > 0 ? (
            <p className="flash warn" role="note">
              {waiting} {waiting === 1 ? "signature is" : "signatures are"} not approved yet and will not be shown.{" "}
              <Link to={`/statements/${s.slug}/moderation`}>Moderate them first</Link> if they should be.
            </p>
          ) : null}
          <Form method="post" className="toolbar">
            <input type="hidden" name="confirm" value="yes" />
            <button type="submit" disabled={busy}>{busy ? "Publishing…" : "Publish now"}</button>
            <Link to={`/statements/${s.slug}`}>Cancel</Link>
          </Form>
        </>
      )}
    </section>
  );
}
