// /statements/:slug/moderation/bulk: deciding on many sign-ons at once. The moderation
// page's ticked boxes (or "all matching" a filter) arrive here as a GET: the page lists
// them and asks "Approve 37 sign-ons?", writing nothing. Confirming posts the listed ids;
// the answer says how many were decided and which failed and why. Plain forms: it works
// without JavaScript.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorList, Field } from "~/components/forms";
import { changeContext } from "~/models/audit.server";
import { requireStatement } from "~/models/statement.server";
import { getDb } from "~/platform/db.server";
import { clientIp } from "~/platform/session.server";
import { bulkDecisionSchema, bulkSelectionSchema } from "~/schemas/bulk-moderation.server";
import { parseForm } from "~/schemas/form.server";
import { invalid } from "~/web/forms.server";
import { requireCoordinator } from "~/web/guards.server";
import { answering } from "~/web/respond.server";
import { BULK_FILTERS, bulkSelection, decideMany } from "~/workflows/bulk-moderation.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Decide on several sign-ons: ${data?.statement.title ?? "statement"} · Demarche` }];

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  await requireCoordinator(request, db);
  const statement = await requireStatement(db, params.slug);
  const search = new URL(request.url).searchParams;
  const query = bulkSelectionSchema.parse({ ids: search.getAll("ids"), select: search.get("select"), decision: search.get("decision") ?? undefined });
  const { items, missing } = await bulkSelection(db, statement.id, { ids: query.ids, filter: query.select });
  return {
    statement: { slug: statement.slug, title: statement.title },
    decision: query.decision,
    filter: query.select ? BULK_FILTERS[query.select] : null,
    items,
    missing,
  };
});

export const action = /* @__PURE__ */ answering(async ({ request, params }: ActionFunctionArgs) => {
  const db = getDb();
  const user = await requireCoordinator(request, db);
  const statement = await requireStatement(db, params.slug);
  const parsed = parseForm(bulkDecisionSchema, await request.formData());
  if (!parsed.ok) return invalid({ ...parsed, formErrors: [...parsed.formErrors, ...(parsed.errors.ids ?? []), ...(parsed.errors.decision ?? [])] });
  const input = parsed.data;
  const decision = input.decision === "approve" ? { approve: true as const } : { approve: false as const, reason: input.reason };
  const outcome = await decideMany(db, changeContext(user, clientIp(request)), statement.id, input.ids, decision);
  return { ok: true as const, decision: input.decision, ...outcome };
});

const plural = (n: number) => `${n} sign-on${n === 1 ? "" : "s"}`;

export default function BulkModeration() {
  const { statement: s, decision, filter, items, missing } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const back = `/statements/${s.slug}/moderation`;
  const verb = decision === "approve" ? "Approve" : "Reject";
  const breadcrumbs = (
    <p className="breadcrumbs">
      <Link to="/">Home</Link> / <Link to="/statements">Statements</Link> / <Link to={`/statements/${s.slug}`}>{s.title}</Link> / <Link to={back}>Moderation</Link> / Several sign-ons
    </p>
  );

  if (actionData?.ok) {
    const done = actionData.decision === "approve" ? "approved" : "rejected";
    const unsent = actionData.decided.filter((d) => d.mailProblem);
    return (
      <section>
        {breadcrumbs}
        <h1>{plural(actionData.decided.length)} {done}</h1>
        <p className="flash" role="status">
          {plural(actionData.decided.length)} {done}{actionData.failed.length ? `; ${actionData.failed.length} could not be.` : "."} Each decision is in the audit log and its email is queued.
        </p>
        {actionData.failed.length ? (
          <>
            <h2>Not {done} ({actionData.failed.length})</h2>
            <ul className="bulk-failures">
              {actionData.failed.map((f) => <li key={f.id}><bdi>{f.name}</bdi>: {f.message}</li>)}
            </ul>
          </>
        ) : null}
        {unsent.length ? (
          <p className="flash warn" role="status">The email could not be sent to: {unsent.map((d) => d.name).join(", ")}. The decisions are saved.</p>
        ) : null}
        <p><Link to={back}>Back to moderation</Link></p>
      </section>
    );
  }

  return (
    <section>
      {breadcrumbs}
      <h1>{items.length ? `${verb} ${plural(items.length)}?` : "No sign-ons chosen"}</h1>
      <ErrorList errors={actionData?.formErrors} />
      {filter ? <p>All sign-ons waiting for approval {filter}.</p> : null}
      {missing ? <p className="flash warn" role="status">{plural(missing)} you ticked {missing === 1 ? "is" : "are"} no longer waiting for approval and {missing === 1 ? "is" : "are"} left out.</p> : null}
      {items.length === 0 ? (
        <p className="empty">None of the sign-ons waiting for approval were chosen. <Link to={back}>Back to moderation</Link></p>
      ) : (
        <Form method="post" className="stack" noValidate>
          <ol className="bulk-list">
            {items.map((g) => (
              <li key={g.id}>
                <input type="hidden" name="ids" value={g.id} />
                <bdi>{g.name}</bdi>{g.country ? ` (${g.country})` : ""}
                {decision === "approve" ? (
                  <span className="muted"> — {g.link.kind === "existing" ? <>will be linked to <bdi>{g.link.name}</bdi></> : "will be added to the directory"}</span>
                ) : null}
              </li>
            ))}
          </ol>
          <input type="hidden" name="decision" value={decision} />
          {decision === "reject" ? (
            <Field label="Reason for rejecting (emailed to every contact)" errors={actionData?.errors?.reason} inputProps={{ name: "reason", required: true, defaultValue: actionData?.values?.reason }} />
          ) : (
            <p>Each becomes public on the list, and each contact is emailed.</p>
          )}
          <p className="toolbar">
            <button type="submit" className={decision === "reject" ? "danger" : undefined} disabled={busy}>{verb} {plural(items.length)}</button>
            <Link to={back}>Cancel</Link>
          </p>
          {/* Hundreds take a while (each is its own transaction, with its email): say so rather than seem stuck. */}
          {busy ? <p role="status" className="muted">{`${decision === "reject" ? "Rejecting" : "Approving"} ${plural(items.length)}: this takes about a second per 40. Keep this page open; the result is listed here when done.`}</p> : null}
        </Form>
      )}
    </section>
  );
}
