// One state's outreach for one statement: its status, the timeline (letters, the
// messages that carried them, logged events; newest first) and the forms to log what
// happened next. Everyone signed in reads it; coordinators, and members whose
// organisation covers the state or wrote to it for this statement, log events.
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { ErrorList } from "~/components/forms";
import { FollowUpForm, MeetingForm, ReplyForm, SentOutsideForm, type OutreachFormAnswer } from "~/components/outreach-forms";
import { OutreachBadge } from "~/components/outreach";
import { TimelineEntry } from "~/components/outreach-timeline";
import { dayInWords } from "~/lib/time-in-words";
import { todayUtc } from "~/models/country.server";
import { changeContext } from "~/models/audit.server";
import { listOrganisations } from "~/models/organisation.server";
import {
  ATTACHMENT_MAX_LABEL, followUpDoneSchema, followUpSchema, logFollowUp, logMeeting, logReply, logSentOutside,
  markFollowUpDone, meetingSchema, readOutreachForm, removeEventSchema, removeOutreachEvent, requireOutreachLogger, sentOutsideSchema,
} from "~/models/outreach-events.server";
import { prepareReply } from "~/models/outreach-reply.server";
import { outreachTimeline } from "~/models/outreach-timeline.server";
import { countryOutreach, requireOutreachStatement } from "~/models/outreach.server";
import { countryOr404 } from "~/models/recipient.server";
import { getDb, type DB } from "~/platform/db.server";
import { formError, invalid } from "~/web/forms.server";
import { parseForm } from "~/schemas/form.server";
import { clientIp, type SessionUser } from "~/platform/session.server";
import { requireUser } from "~/web/guards.server";
import { answering, failure, tamperedForm } from "~/web/respond.server";
import { canActForOrganisation, canLogOutreach } from "~/models/permissions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.country.name ?? "State"} · Outreach · Demarche` }];

async function target(db: DB, user: SessionUser, params: LoaderFunctionArgs["params"]) {
  const statement = await requireOutreachStatement(db, user, params.slug);
  const country = await countryOr404(db, params.code, statement.statement_date);
  return { statement, country, target: { statementId: statement.id, countryCode: country.code } };
}

async function organisationsFor(db: DB, user: SessionUser) {
  const all = await listOrganisations(db);
  return all.filter((o) => canActForOrganisation(user, o.id)).map((o) => ({ id: o.id, name: o.name }));
}

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const { statement, country, target: t } = await target(db, user, params);
  const [outreach, timeline, canLog] = await Promise.all([countryOutreach(db, statement.id, country.code), outreachTimeline(db, statement.id, country.code), canLogOutreach(db, user, t)]);
  return {
    statement: { slug: statement.slug, title: statement.title, date: statement.statement_date },
    country: { code: country.code, name: country.name, isParty: country.is_party },
    status: outreach.status,
    sentBy: outreach.sentBy,
    sentAt: outreach.sentAt,
    timeline,
    canLog,
    organisations: canLog ? await organisationsFor(db, user) : [],
    today: outreach.today,
    maxLabel: ATTACHMENT_MAX_LABEL,
  };
});

export const action = /* @__PURE__ */ answering(async ({ request, params }: ActionFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const { statement, country, target: t } = await target(db, user, params);
  await requireOutreachLogger(db, user, t, country.name);
  const read = await readOutreachForm(request);
  if (!read.ok) return data({ ok: false as const, errors: {}, formErrors: [read.message], values: { intent: "reply" } }, { status: read.status });
  const { form } = read;
  const ctx = changeContext(user, clientIp(request));
  const today = todayUtc();
  const done = (what: string) => redirect(`/statements/${statement.slug}/outreach/${country.code}?done=${what}#timeline`);
  const intent = form.get("intent");
  if (intent === "reply") {
    const reply = await prepareReply(read, today);
    if (!reply.ok) return invalid(reply);
    await logReply(db, ctx, t, user.organisation_id, reply.input, reply.attachment);
    return done("reply");
  }
  if (intent === "meeting") {
    const parsed = parseForm(meetingSchema(today), form);
    if (!parsed.ok) return invalid(parsed);
    await logMeeting(db, ctx, t, user.organisation_id, parsed.data);
    return done(intent);
  }
  if (intent === "follow_up") {
    const parsed = parseForm(followUpSchema(today), form);
    if (!parsed.ok) return invalid(parsed);
    await logFollowUp(db, ctx, t, user.organisation_id, parsed.data, today);
    return done(intent);
  }
  if (intent === "sent") {
    const parsed = parseForm(sentOutsideSchema(today), form);
    if (!parsed.ok) return invalid(parsed);
    try {
      await logSentOutside(db, user, ctx, t, parsed.data);
    } catch (error) {
      return failure(error, form);
    }
    return done("sent");
  }
  if (intent === "follow_up_done") {
    const parsed = parseForm(followUpDoneSchema, form);
    if (!parsed.ok) throw tamperedForm();
    if (!(await markFollowUpDone(db, ctx, t, parsed.data.eventId, today))) return formError(form, "That follow-up is already done, or is not one of this state's.", 409);
    return done("follow_up_done");
  }
  if (intent === "remove") {
    const parsed = parseForm(removeEventSchema, form);
    if (!parsed.ok) return formError(form, Object.values(parsed.errors).flat().join(" ") || "The form was incomplete.", 400);
    if (!(await removeOutreachEvent(db, user, ctx, t, parsed.data.eventId, parsed.data.reason))) return formError(form, "That entry is already gone, or is not one of this state's.", 409);
    return done("removed");
  }
  throw tamperedForm();
});

const FLASH: Record<string, string> = {
  removed: "Entry removed. The audit log keeps what it said and why it was removed.",
  reply: "Reply logged.",
  meeting: "Meeting logged.",
  follow_up: "Follow-up added.",
  follow_up_done: "Follow-up marked as done.",
  sent: "Letter logged as sent.",
  attached: "The mail was attached as this state's reply.",
};

export default function OutreachCountryPage() {
  const { statement: s, country: c, status, sentBy, sentAt, timeline, canLog, organisations, today, maxLabel } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as OutreachFormAnswer;
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const flash = FLASH[params.get("done") ?? ""];
  const board = `/statements/${s.slug}/outreach`;
  const stray = answer && !["reply", "meeting", "follow_up", "sent"].includes(answer.values.intent ?? "") ? answer.formErrors : null;
  // Each form posts to its own heading: without JavaScript the browser lands on the
  // refused form and its errors, not at the top of a long page.
  const { pathname } = useLocation();
  const at = (anchor: string) => `${pathname}#${anchor}`;
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / <Link to={board}>Outreach: {s.title}</Link> / {c.name}</p>
      <h1>{c.name}: outreach</h1>
      {flash ? <p className="flash" role="status">{flash}</p> : null}
      {!c.isParty ? <p className="flash warn">{c.name} was not a state party on the statement's date ({s.date}).</p> : null}
      <dl className="facts">
        <dt>Statement</dt><dd>{s.title}</dd>
        <dt>Status</dt><dd><OutreachBadge status={status} /></dd>
        <dt>Sent by</dt><dd>{sentBy ? `${sentBy}, ${dayInWords(sentAt!)}` : <span className="muted">not sent yet</span>}</dd>
      </dl>
      <p className="toolbar">
        <Link to={board}>Back to the board</Link>
        <Link to={`/countries/${c.code}`}>About {c.name}</Link>
        <Link to={`/countries/${c.code}/recipients`}>Recipients</Link>
      </p>

      <h2 id="timeline">Timeline</h2>
      {/* Errors of the timeline's own buttons (mark done, remove): the refused post lands here. */}
      <ErrorList errors={stray} />
      {timeline.length === 0 ? <p className="empty">Nothing yet: no letter to {c.name} for this statement, and nothing logged.</p> : (
        <ol className="timeline">
          {timeline.map((item) => <TimelineEntry key={`${item.type}-${item.id}`} item={item} base={`${board}/${c.code}`} canLog={canLog} today={today} />)}
        </ol>
      )}

      {canLog ? (
        <>
          <h2 id="log">Log what happened</h2>
          <ReplyForm answer={answer} maxLabel={maxLabel} busy={busy} action={at("log-reply")} />
          <MeetingForm answer={answer} today={today} busy={busy} action={at("log-meeting")} />
          <FollowUpForm answer={answer} busy={busy} action={at("log-follow-up")} />
          <SentOutsideForm answer={answer} today={today} organisations={organisations} busy={busy} action={at("log-sent")} />
        </>
      ) : (
        <p className="muted">Only coordinators and members of an organisation that covers {c.name}, or has a letter to it for this statement, can log its outreach.</p>
      )}
    </section>
  );
}
