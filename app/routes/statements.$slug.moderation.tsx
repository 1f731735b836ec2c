// /statements/:slug/moderation: coordinators decide on verified sign-ons (each shown
// with its possible duplicates), adjust how approved signatories are listed, and
// remove signatures after a confirmation. Names typed by the public are shown inside
// <bdi>, so right-to-left text in one name cannot reorder its neighbours.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { ErrorList, Field } from "~/components/forms";
import { type FieldErrors } from "~/lib/field-errors";
import { changeContext } from "~/models/audit.server";
import { countryOptions } from "~/models/organisation.server";
import {
  approvedForModeration,
  findSignatureOnStatement,
  moderationQueue,
  removeSignature,
  setDisplayName,
  setFootnoteMark,
} from "~/models/signature-moderation.server";
import { moderationFilterSchema, moderationSchema } from "~/models/signature.server";
import { requireStatement, signatureCounts, statementParts } from "~/models/statement.server";
import { getDb } from "~/platform/db.server";
import { formError, invalid } from "~/web/forms.server";
import { parseForm } from "~/schemas/form.server";
import { hasNoPossibleDuplicate } from "~/workflows/bulk-moderation.server";
import { decideSignature } from "~/workflows/sign-on.server";
import { clientIp } from "~/platform/session.server";
import { requireCoordinator } from "~/web/guards.server";
import { answering } from "~/web/respond.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Moderation: ${data?.statement.title ?? "statement"} · Demarche` }];

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  await requireCoordinator(request, db);
  const statement = await requireStatement(db, params.slug);
  const filter = moderationFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [queue, approved, counts, parts, countries] = await Promise.all([
    moderationQueue(db, statement.id),
    approvedForModeration(db, statement.id, statement.language, filter.q),
    signatureCounts(db, statement.id),
    statementParts(db, statement),
    countryOptions(db),
  ]);
  const removing = filter.remove ? await findSignatureOnStatement(db, statement.id, filter.remove) : undefined;
  return {
    statement: { slug: statement.slug, title: statement.title, status: statement.status },
    queue,
    withoutDuplicates: queue.filter(hasNoPossibleDuplicate).length,
    approved,
    counts,
    marks: parts.footnotes.map((f) => ({ mark: f.mark, text: f.text })),
    countryNames: Object.fromEntries(countries.map((c) => [c.code, c.name])) as Record<string, string>,
    removing: removing?.status === "approved" ? { id: removing.id, name: removing.display_name ?? removing.organisation_name } : null,
    q: filter.q,
  };
});

const DONE: Record<string, string> = {
  approved: "Signature approved; it is on the public list.",
  rejected: "Signature rejected; the organisation has been told why.",
  "display-name": "Displayed name saved.",
  footnote: "Footnote mark saved.",
  removed: "Signature removed from the list.",
};

const INTENTS = ["approve", "reject", "display-name", "footnote", "remove"];

export const action = /* @__PURE__ */ answering(async ({ request, params }: ActionFunctionArgs) => {
  const db = getDb();
  const user = await requireCoordinator(request, db);
  const statement = await requireStatement(db, params.slug);
  const form = await request.formData();
  if (!INTENTS.includes(String(form.get("intent")))) throw new Response("Unknown action.", { status: 400 });
  const parsed = parseForm(moderationSchema, form);
  // A bad signature id belongs to no field on the page: say it above the lists.
  if (!parsed.ok) return invalid({ ...parsed, formErrors: [...parsed.formErrors, ...(parsed.errors.signatureId ?? [])] });
  const ctx = changeContext(user, clientIp(request));
  const input = parsed.data;
  const back = (done: string, mailProblem: string | null = null) =>
    redirect(`/statements/${statement.slug}/moderation?${new URLSearchParams({ done, ...(mailProblem ? { mail: "failed" } : {}) })}`);
  switch (input.intent) {
    case "approve": {
      const result = await decideSignature(db, ctx, statement.id, input.signatureId, { approve: true });
      return result.ok ? back("approved", result.mailProblem) : formError(form, result.message, 409);
    }
    case "reject": {
      const result = await decideSignature(db, ctx, statement.id, input.signatureId, { approve: false, reason: input.reason });
      return result.ok ? back("rejected", result.mailProblem) : formError(form, result.message, 409);
    }
    case "display-name": {
      const result = await setDisplayName(db, ctx, statement.id, input.signatureId, input.display_name);
      return result.ok ? back("display-name") : formError(form, result.message, 409);
    }
    case "footnote": {
      const result = await setFootnoteMark(db, ctx, statement.id, input.signatureId, input.footnote_mark);
      return result.ok ? back("footnote") : formError(form, result.message, 409);
    }
    case "remove": {
      const result = await removeSignature(db, ctx, statement.id, input.signatureId, input.reason);
      return result.ok ? back("removed") : formError(form, result.message, 409);
    }
  }
});

type Values = Record<string, string>;
/** The errors of the form that was submitted, only for the row it came from. */
function rowErrors(actionData: { errors?: FieldErrors; values?: Values } | undefined, intent: string, id: number): FieldErrors {
  return actionData?.values?.intent === intent && actionData.values.signatureId === String(id) ? actionData.errors ?? {} : {};
}

export default function Moderation() {
  const { statement: s, queue, withoutDuplicates, approved, counts, marks, countryNames, removing, q } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const done = params.get("done");
  const country = (code: string | null) => (code ? `${countryNames[code] ?? code}` : "—");
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / <Link to="/statements">Statements</Link> / <Link to={`/statements/${s.slug}`}>{s.title}</Link> / Moderation</p>
      <h1>Moderation</h1>
      {done && DONE[done] ? <p className="flash" role="status">{DONE[done]}</p> : null}
      {params.get("mail") === "failed" ? <p className="flash warn" role="status">The decision is saved, but the email to the organisation could not be sent.</p> : null}
      <ErrorList errors={actionData?.formErrors} />

      <p className="toolbar">
        {(["pending", "approved", "unverified", "rejected", "withdrawn", "removed"] as const).map((status) => (
          <span key={status} className="badge">{status}: {counts[status]}</span>
        ))}
      </p>

      {removing ? (
        <Form method="post" className="stack flash warn" noValidate>
          <h2>Remove <bdi>{removing.name}</bdi>?</h2>
          <p>The organisation leaves the public list at once. The removal and its reason are kept in the audit log.</p>
          <input type="hidden" name="intent" value="remove" />
          <input type="hidden" name="signatureId" value={removing.id} />
          <Field label="Reason" errors={rowErrors(actionData, "remove", removing.id).reason} inputProps={{ name: "reason", required: true, defaultValue: actionData?.values?.reason }} />
          <div className="field">
            <label><input type="checkbox" name="confirm" value="yes" /> Yes, remove this signature</label>
            <ErrorList errors={rowErrors(actionData, "remove", removing.id).confirm} />
          </div>
          <p className="toolbar">
            <button type="submit" className="danger" disabled={busy}>Remove</button>
            <Link to={`/statements/${s.slug}/moderation`}>Cancel</Link>
          </p>
        </Form>
      ) : null}

      <h2>Waiting for approval ({queue.length})</h2>
      {queue.length === 0 ? <p className="empty">No verified sign-ons are waiting.</p> : (
        <div className="toolbar bulk-bar">
          {/* The row checkboxes belong to this form through their form="bulk" attribute. */}
          <Form method="get" action={`/statements/${s.slug}/moderation/bulk`} id="bulk" className="toolbar">
            <button type="submit" name="decision" value="approve" className="secondary">Approve ticked…</button>
            <button type="submit" name="decision" value="reject" className="secondary">Reject ticked…</button>
          </Form>
          {withoutDuplicates > 0 ? (
            <Form method="get" action={`/statements/${s.slug}/moderation/bulk`}>
              <input type="hidden" name="select" value="no-duplicates" />
              <button type="submit" name="decision" value="approve">Approve all {withoutDuplicates} with no possible duplicate…</button>
            </Form>
          ) : null}
        </div>
      )}
      {queue.map((g) => {
        const rejectErrors = rowErrors(actionData, "reject", g.id);
        return (
          <article key={g.id} id={`sig-${g.id}`} className="moderation-item">
            <label className="bulk-pick"><input type="checkbox" name="ids" value={g.id} form="bulk" aria-label={`Select ${g.organisation_name}`} /> Select</label>
            <h3><bdi>{g.organisation_name}</bdi>{g.display_name ? <> (shown as <bdi>{g.display_name}</bdi>)</> : null}</h3>
            <dl className="facts">
              <dt>Acronym</dt><dd><bdi>{g.acronym ?? "—"}</bdi></dd>
              <dt>Country</dt><dd>{country(g.country_code)}</dd>
              <dt>Website</dt><dd>{g.website ? <bdi>{g.website}</bdi> : "—"}</dd>
              <dt>Contact</dt><dd><bdi>{g.contact_name}</bdi>, <bdi>{g.contact_title}</bdi></dd>
              <dt>Email</dt><dd><bdi>{g.contact_email}</bdi></dd>
              <dt>Verified</dt><dd>{g.verified_at?.slice(0, 16).replace("T", " ")} UTC</dd>
              <dt>Note</dt><dd>{g.note ? <pre className="wrap"><bdi>{g.note}</bdi></pre> : "—"}</dd>
              <dt>Possible duplicates</dt>
              <dd>
                {g.duplicates.length === 0 ? "none found" : (
                  <ul>
                    {g.duplicates.map((d) => (
                      <li key={d.id}>
                        <span className={d.exact ? "badge bad" : "badge"}>{d.exact ? "same organisation" : "similar"}</span>{" "}
                        <bdi>{d.name}</bdi> ({d.status}): {d.reasons.join(", ")}
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
              <dt>Directory</dt>
              <dd>
                {g.directory.link.kind === "existing" ? <>will be linked to <bdi>{g.directory.link.name}</bdi></> : "will be added to the directory"}
                {g.directory.similar.length ? (
                  <ul>
                    {g.directory.similar.map((d) => (
                      <li key={d.id}><span className="badge">similar</span> similar to <Link to={`/organisations/${d.id}`}><bdi>{d.name}</bdi></Link> in the directory: {d.reasons.join(", ")}</li>
                    ))}
                  </ul>
                ) : null}
              </dd>
            </dl>
            <div className="row-actions">
              <Form method="post">
                <input type="hidden" name="intent" value="approve" />
                <input type="hidden" name="signatureId" value={g.id} />
                <button type="submit" disabled={busy} aria-label={`Approve ${g.organisation_name}`}>Approve</button>
              </Form>
              <Form method="post" className="toolbar" noValidate>
                <input type="hidden" name="intent" value="reject" />
                <input type="hidden" name="signatureId" value={g.id} />
                <Field label="Reason for rejecting (emailed to the contact)" errors={rejectErrors.reason} inputProps={{ name: "reason", id: `reason-${g.id}`, required: true }} />
                <button type="submit" className="secondary" disabled={busy} aria-label={`Reject ${g.organisation_name}`}>Reject</button>
              </Form>
            </div>
            <NameAndMark id={g.id} displayName={g.display_name} mark={g.footnote_mark} marks={marks} busy={busy} errors={rowErrors(actionData, "display-name", g.id)} />
          </article>
        );
      })}

      <h2>Approved signatories ({approved.total})</h2>
      <Form method="get" className="toolbar">
        <Field label="Search" inputProps={{ name: "q", type: "search", defaultValue: q }} />
        <button type="submit" className="secondary">Search</button>
      </Form>
      {approved.matching > approved.shown.length ? <p className="muted">Showing {approved.shown.length} of {approved.matching}; search to narrow the list.</p> : null}
      {approved.shown.length === 0 ? <p className="empty">{q ? "No approved signatory matches." : "No approved signatories yet."}</p> : (
        <table>
          <thead><tr><th>Listed as</th><th>Acronym</th><th>Country</th><th>Displayed name and footnote</th><th><span className="visually-hidden">Remove</span></th></tr></thead>
          <tbody>
            {approved.shown.map((g) => (
              <tr key={g.id} id={`sig-${g.id}`}>
                <td><bdi>{g.name}</bdi>{g.footnote_mark ? <sup>{g.footnote_mark}</sup> : null}{g.display_name ? <div className="muted">typed as <bdi>{g.organisation_name}</bdi></div> : null}</td>
                <td><bdi>{g.acronym ?? "—"}</bdi></td>
                <td>{country(g.country_code)}</td>
                <td><NameAndMark id={g.id} displayName={g.display_name} mark={g.footnote_mark} marks={marks} busy={busy} errors={rowErrors(actionData, "display-name", g.id)} /></td>
                <td><Link to={`?${new URLSearchParams({ ...(q ? { q } : {}), remove: String(g.id) })}`} aria-label={`Remove ${g.name}`}>Remove…</Link></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function NameAndMark(props: { id: number; displayName: string | null; mark: string | null; marks: { mark: string; text: string }[]; busy: boolean; errors: FieldErrors }) {
  return (
    <div className="row-actions">
      <Form method="post" className="toolbar" noValidate>
        <input type="hidden" name="intent" value="display-name" />
        <input type="hidden" name="signatureId" value={props.id} />
        <Field label="Displayed name" hint="Empty: as typed." errors={props.errors.display_name} inputProps={{ name: "display_name", id: `display-${props.id}`, defaultValue: props.displayName ?? "" }} />
        <button type="submit" className="secondary" disabled={props.busy}>Save name</button>
      </Form>
      {props.marks.length ? (
        <Form method="post" className="toolbar">
          <input type="hidden" name="intent" value="footnote" />
          <input type="hidden" name="signatureId" value={props.id} />
          <label>
            Footnote{" "}
            <select name="footnote_mark" defaultValue={props.mark ?? ""}>
              <option value="">none</option>
              {props.marks.map((m) => <option key={m.mark} value={m.mark}>{m.mark} {m.text.slice(0, 40)}</option>)}
            </select>
          </label>
          <button type="submit" className="secondary" disabled={props.busy}>Save footnote</button>
        </Form>
      ) : null}
    </div>
  );
}
