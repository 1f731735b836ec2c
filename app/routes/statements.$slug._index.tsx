// A statement at a glance for coordinators: its facts, its signatures by status, and
// the moves its state allows. `_index` keeps the sibling pages (edit, moderation,
// import, export, publish) standalone rather than nested inside this one.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { ErrorList, Field } from "~/components/forms";
import { StatusBadge, deadlineInputValue, formatUtc } from "~/components/statement-form";
import { StatementLifecycle } from "~/components/statement-lifecycle";
import { changeContext } from "~/models/audit.server";
import { requireStatement, transitionSchema } from "~/models/statement.server";
import { allowedTransitions, deadlinePassed, isListed, transitionStatement } from "~/models/statement-lifecycle.server";
import { getDb } from "~/platform/db.server";
import { statementOverview } from "~/workflows/statement-overview.server";
import { invalid } from "~/web/forms.server";
import { parseForm } from "~/schemas/form.server";
import { clientIp } from "~/platform/session.server";
import { requireCoordinator } from "~/web/guards.server";
import { answering, failure } from "~/web/respond.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.statement.title ?? "Statement"} · Demarche` }];

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  await requireCoordinator(request, db);
  const { statement, parts, counts } = await statementOverview(db, params.slug);
  // A deadline set on the draft is offered again when opening, unless it has passed.
  const deadline = statement.signing_deadline && !deadlinePassed(statement.signing_deadline) ? deadlineInputValue(statement.signing_deadline) : "";
  return {
    statement,
    author: parts.author,
    points: parts.points.length,
    footnotes: parts.footnotes.length,
    counts,
    transitions: allowedTransitions(statement.status).map((t) => t.name),
    deadline,
    // Linked where the public index lists it.
    listed: isListed(statement.status),
  };
});

export const action = /* @__PURE__ */ answering(async ({ request, params }: ActionFunctionArgs) => {
  const db = getDb();
  const user = await requireCoordinator(request, db);
  const statement = await requireStatement(db, params.slug);
  const form = await request.formData();
  // Publishing has its own confirmation page, listing what becomes public.
  if (form.get("intent") === "publish") return redirect(`/statements/${statement.slug}/publish`);
  const parsed = parseForm(transitionSchema, form);
  if (!parsed.ok) return invalid(parsed);
  try {
    await transitionStatement(db, changeContext(user, clientIp(request)), statement.id, parsed.data.intent, { deadline: parsed.data.deadline });
  } catch (error) {
    return failure(error, form);
  }
  return redirect(`/statements/${statement.slug}?${parsed.data.intent}=1`);
});

const FLASH: Record<string, string> = {
  created: "Draft created. Nothing is public until you open it for signatures.",
  saved: "Changes saved.",
  unchanged: "Nothing had changed; nothing was saved.",
  open: "The statement is open for signatures.",
  close: "The statement is closed for signatures.",
  publish: "The statement is published.",
  reopen: "The statement is open for signatures again.",
};

const COUNT_LABELS = [
  ["approved", "Approved (shown publicly)"],
  ["pending", "Awaiting approval"],
  ["unverified", "Email not yet verified"],
  ["rejected", "Rejected"],
  ["withdrawn", "Withdrawn by the organisation"],
  ["removed", "Removed by a coordinator"],
] as const;

export default function StatementOverview() {
  const { statement: s, author, points, footnotes, counts, transitions, deadline, listed } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const flash = Object.keys(FLASH).find((k) => params.has(k));
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / <Link to="/statements">Statements</Link> / {s.title}</p>
      <h1>{s.title} <StatusBadge status={s.status} /></h1>
      {flash ? <p className="flash" role="status">{FLASH[flash]}</p> : null}
      <ErrorList errors={actionData?.formErrors} />

      <p className="toolbar">
        <Link className="button secondary" to={`/statements/${s.slug}/edit`}>Edit</Link>
        <Link to={`/statements/${s.slug}/moderation`}>Moderation{counts.pending ? ` (${counts.pending} waiting)` : ""}</Link>
        <Link to={`/statements/${s.slug}/import`}>Import signatories</Link>
        <Link to={`/statements/${s.slug}/export`}>Export</Link>
        <Link to={`/statements/${s.slug}/outreach`}>Outreach board</Link>
        {listed ? <a href={`/s/${s.slug}`}>Public page</a> : <span className="muted">Public page: not public while {s.status}</span>}
      </p>

      <dl className="facts">
        <dt>Address</dt><dd>/s/{s.slug}</dd>
        <dt>Date</dt><dd>{s.statement_date}</dd>
        <dt>Author</dt><dd>{author ? <Link to={`/organisations/${author.id}`}>{author.name}</Link> : <span className="muted">none</span>}</dd>
        <dt>Language</dt><dd>{s.language}</dd>
        <dt>Demands</dt><dd>{points} {points === 1 ? "point" : "points"}</dd>
        <dt>Footnotes</dt><dd>{footnotes}</dd>
        <dt>Signing deadline</dt><dd>{s.signing_deadline ? formatUtc(s.signing_deadline) : <span className="muted">none</span>}</dd>
        {s.published_at ? <><dt>Published</dt><dd>{formatUtc(s.published_at)}</dd></> : null}
        {s.text_updated_at ? <><dt>Text updated</dt><dd>{formatUtc(s.text_updated_at)}</dd></> : null}
        <dt>Version</dt><dd>{s.version} <span className="muted">(goes up each time the public page changes: the text, demands, footnotes or the list of signatories; letters made before then show as out of date)</span></dd>
      </dl>

      <h2>Signatures</h2>
      <table>
        <thead><tr><th>Status</th><th>Number</th></tr></thead>
        <tbody>
          {COUNT_LABELS.map(([status, label]) => (
            <tr key={status}><td>{label}</td><td>{counts[status]}</td></tr>
          ))}
        </tbody>
      </table>

      <StatementLifecycle status={s.status} />
      <h2>Status</h2>
      {transitions.includes("open") ? (
        <TransitionForm intent="open" busy={busy} label="Open for signatures" withDeadline deadline={deadline} errors={actionData?.errors?.deadline}>
          Organisations can then sign on at /s/{s.slug}. The address can no longer change.
        </TransitionForm>
      ) : null}
      {transitions.includes("close") ? (
        <TransitionForm intent="close" busy={busy} label="Close for signatures">The sign-on form stops taking signatures. You can reopen it later.</TransitionForm>
      ) : null}
      {transitions.includes("publish") ? (
        <p><Link className="button" to={`/statements/${s.slug}/publish`}>Publish…</Link> <span className="muted">You will see what becomes public before confirming.</span></p>
      ) : null}
      {transitions.includes("reopen") ? (
        <TransitionForm intent="reopen" busy={busy} label="Reopen for signatures" withDeadline deadline={deadline} secondary errors={actionData?.errors?.deadline}>
          {s.status === "published"
            ? "The statement stays public and takes more signatures; publish it again when you close it."
            : "The sign-on form takes signatures again."}
        </TransitionForm>
      ) : null}
    </section>
  );
}

function TransitionForm(props: { intent: string; label: string; busy: boolean; withDeadline?: boolean; deadline?: string; secondary?: boolean; errors?: string[]; children: React.ReactNode }) {
  return (
    <Form method="post" className="stack" noValidate>
      <input type="hidden" name="intent" value={props.intent} />
      <p className="muted">{props.children}</p>
      {props.withDeadline ? (
        <Field
          label="Signing deadline (UTC, optional)"
          hint="The statement closes itself at this moment. Leave empty to close it by hand."
          errors={props.errors}
          inputProps={{ name: "deadline", type: "datetime-local", id: `${props.intent}-deadline`, defaultValue: props.deadline }}
        />
      ) : null}
      <p><button type="submit" className={props.secondary ? "secondary" : undefined} disabled={props.busy}>{props.label}</button></p>
    </Form>
  );
}
