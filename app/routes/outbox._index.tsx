// The outbox: the messages the signed-in person may see (members: their organisation's),
// how many are queued, on their way, sent or failed, and what can be done: pause or
// resume a statement's sending (coordinators), cancel what is still queued, settle an
// uncertain message, send a failed letter again. While anything is on its way the page
// keeps itself current (AutoRefresh: quietly with JavaScript, a meta refresh without).
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { AutoRefresh } from "~/components/auto-refresh";
import { ErrorList, FilterSelect } from "~/components/forms";
import { OutboxTable, SendingProgress, StatementControls } from "~/components/outbox";
import { cancelQueued, listDispatches, pauseSending, resumeSending } from "~/models/outbox/messages.server";
import { changeContext, type ChangeContext } from "~/models/audit.server";
import { ACT_FLASH } from "~/lib/sending-flash";
import { actOnDispatch, describeDispatch, outboxStatements, visibleCounts, workPending } from "~/models/outbox/overview.server";
import { outboxFilterSchema, outboxIntentSchema, type OutboxIntent } from "~/schemas/sending.server";
import { getDb, type DB } from "~/platform/db.server";
import { getTransport } from "~/platform/mail-transport.server";
import { clientIp, type SessionUser } from "~/platform/session.server";
import { requireUser } from "~/web/guards.server";
import { answering, failure, tamperedForm } from "~/web/respond.server";
import { isCoordinator } from "~/models/permissions.server";

const REFRESH_SECONDS = 4;

export const meta: MetaFunction<typeof loader> = () => [{ title: "Outbox · Demarche" }];

export const loader = /* @__PURE__ */ answering(async ({ request }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const filters = outboxFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const where = { statementId: filters.statement, bulkId: filters.bulk };
  const [dispatches, counts, statements] = await Promise.all([
    listDispatches(db, user, { ...where, status: filters.status, limit: 300 }),
    visibleCounts(db, user, where),
    outboxStatements(db, user),
  ]);
  // Queued messages of a paused statement will not move: nothing to follow there.
  const pending = counts.sending > 0 || (workPending(counts) && statements.some((s) => s.queued > 0 && !s.paused));
  return {
    filters, counts, statements, pending, mode: getTransport().mode,
    coordinator: isCoordinator(user), dispatches: dispatches.map(describeDispatch),
  };
});

/** Does what the button asked; returns the flash (see FLASH) and, for a cancel-all, how many. */
async function runIntent(db: DB, user: SessionUser, ctx: ChangeContext, act: OutboxIntent): Promise<{ done: string; n?: number }> {
  switch (act.intent) {
    case "pause": await pauseSending(db, user, ctx, act.statementId); return { done: "paused" };
    case "resume": await resumeSending(db, user, ctx, act.statementId); return { done: "resumed" };
    case "cancel-statement": return { done: "cancelled-all", n: await cancelQueued(db, user, ctx, { statementId: act.statementId }) };
    default: return { done: await actOnDispatch(db, user, ctx, act) };
  }
}

export const action = /* @__PURE__ */ answering(async ({ request }: ActionFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const form = await request.formData();
  const parsed = outboxIntentSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) throw tamperedForm();
  try {
    const { done, n } = await runIntent(db, user, changeContext(user, clientIp(request)), parsed.data);
    // Back to the same view (filters kept), with what happened.
    const back = new URL(request.url).searchParams;
    back.delete("index");
    back.set("done", done);
    if (n !== undefined) back.set("n", String(n)); else back.delete("n");
    return redirect(`/outbox?${back}`);
  } catch (error) {
    return failure(error, form);
  }
});

const FLASH: Record<string, string> = {
  ...ACT_FLASH,
  bulk: "Your approved letters are queued. This page follows them until they have gone.",
  paused: "Sending paused for this statement: queued messages wait; those already with the mail server finish.",
  resumed: "Sending resumed for this statement.",
};

export default function Outbox() {
  const { filters, counts, statements, pending, mode, coordinator, dispatches } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const done = params.get("done") ?? "";
  const n = Number(params.get("n") ?? 0);
  const flash = done === "cancelled-all" ? (n === 1 ? "1 queued message was cancelled." : `${n} queued messages were cancelled.`) : FLASH[done];
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / Outbox</p>
      <h1>Outbox</h1>
      <p className="muted">
        {coordinator ? "Every message the platform has queued for letters." : "The messages of your organisation's letters."}{" "}
        {mode === "sandbox" ? <>Mail is in sandbox mode: sent messages land in the <Link to="/mailbox">Mailbox</Link>.</> : "Mail is sent by real SMTP."}
      </p>
      {flash ? <p className="flash" role="status">{flash}</p> : null}
      <ErrorList errors={actionData?.formErrors} />
      <AutoRefresh active={pending} seconds={REFRESH_SECONDS} />
      <SendingProgress counts={counts} pending={pending} refreshSeconds={REFRESH_SECONDS} />
      <StatementControls statements={statements} coordinator={coordinator} />
      <Form method="get" className="toolbar">
        <FilterSelect label="Statement" name="statement" value={filters.statement} all="All statements" options={statements.map((s) => ({ value: s.id, label: s.title }))} />
        <FilterSelect label="Status" name="status" value={filters.status} all="Any status" options={Object.keys(counts).map((s) => ({ value: s, label: s }))} />
        <button type="submit" className="secondary">Filter</button>
        {filters.bulk ? <span className="muted">Showing one bulk send. <Link to={filters.statement ? `/outbox?statement=${filters.statement}` : "/outbox"}>Show all</Link></span> : null}
      </Form>
      {dispatches.length === 0
        ? <p className="empty">No messages{filters.status || filters.statement ? " match these filters" : " yet"}. Letters are sent from their page (Send to the ministry…) or all at once from a statement's bulk send.</p>
        : <OutboxTable dispatches={dispatches} />}
    </section>
  );
}
