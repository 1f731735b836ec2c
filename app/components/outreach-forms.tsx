// The four forms on a state's outreach page. Each keeps its own values and errors: a
// refused reply must not blank the meeting form, so each form reads the action's
// answer only when that answer is for its own `intent`. Each posts to its own heading
// (`action`, a URL ending in #log-…), and a refused form opens with a short list of
// what to fix, each a link to its field: the page is long, and without JavaScript the
// browser would otherwise show its top, far from the errors.
import { Form } from "@remix-run/react";
import { ErrorList, Field, SelectField, TextAreaField } from "./forms";
import { type FieldErrors } from "~/lib/field-errors";

export type OutreachFormAnswer = { errors: FieldErrors; formErrors: string[]; values: Record<string, string> } | undefined;

function answerFor(intent: string, answer: OutreachFormAnswer) {
  const mine = answer?.values.intent === intent;
  return { errors: mine ? answer!.errors : {}, formErrors: mine ? answer!.formErrors : [], values: mine ? answer!.values : {} };
}

/** What to fix in this form, each error a link to its field (ids: field name -> control id). */
function ErrorSummary({ errors, ids }: { errors: FieldErrors; ids: Record<string, string> }) {
  const listed = Object.entries(ids).flatMap(([name, id]) => (errors[name] ?? []).map((message) => ({ id, message })));
  if (listed.length === 0) return null;
  return (
    <div className="error-summary">
      <p><strong>{listed.length === 1 ? "One thing to fix:" : `${listed.length} things to fix:`}</strong></p>
      <ul>{listed.map((e) => <li key={`${e.id}-${e.message}`}><a href={`#${e.id}`}>{e.message}</a></li>)}</ul>
    </div>
  );
}

// A date input cannot show what the person typed when it is not a date; show it as text then.
const dateInput = (name: string, id: string, value: string | undefined, invalid: boolean, fallback: string) => ({
  name, id, type: invalid ? "text" : "date", defaultValue: value ?? fallback, required: true,
});

type FormProps = { answer: OutreachFormAnswer; busy: boolean; action: string };

export function ReplyForm({ answer, maxLabel, busy, action }: FormProps & { maxLabel: string }) {
  const { errors, formErrors, values } = answerFor("reply", answer);
  return (
    <Form method="post" action={action} encType="multipart/form-data" className="stack" noValidate aria-labelledby="log-reply">
      <h3 id="log-reply">Log a reply</h3>
      <input type="hidden" name="intent" value="reply" />
      <ErrorList errors={formErrors} />
      <ErrorSummary errors={errors} ids={{ attachment: "reply-attachment", happenedOn: "reply-date", correspondent: "reply-from", summary: "reply-summary", body: "reply-body" }} />
      <Field label="Attach the reply (optional)" hint={`A saved email (.eml) or a PDF, up to ${maxLabel}. From an .eml, the date, sender, subject and text fill the fields you leave empty.`} errors={errors.attachment}
        inputProps={{ name: "attachment", id: "reply-attachment", type: "file", accept: ".eml,.pdf,message/rfc822,application/pdf" }} />
      <Field label="Date of the reply" errors={errors.happenedOn} inputProps={{ ...dateInput("happenedOn", "reply-date", values.happenedOn, !!errors.happenedOn, ""), required: false }} />
      <Field label="From whom" hint="Name, title or office, e.g. Ministry of Foreign Affairs, Legal Department" errors={errors.correspondent} inputProps={{ name: "correspondent", id: "reply-from", defaultValue: values.correspondent }} />
      <Field label="Summary" hint="One line: what they answered" errors={errors.summary} inputProps={{ name: "summary", id: "reply-summary", defaultValue: values.summary }} />
      <TextAreaField label="Reply text (optional)" hint="Paste the reply, or leave empty when you attach it" errors={errors.body} textareaProps={{ name: "body", id: "reply-body", rows: 6, defaultValue: values.body }} />
      <button type="submit" disabled={busy}>Log reply</button>
    </Form>
  );
}

export function MeetingForm({ answer, today, busy, action }: FormProps & { today: string }) {
  const { errors, formErrors, values } = answerFor("meeting", answer);
  return (
    <Form method="post" action={action} className="stack" noValidate aria-labelledby="log-meeting">
      <h3 id="log-meeting">Log a meeting</h3>
      <input type="hidden" name="intent" value="meeting" />
      <ErrorList errors={formErrors} />
      <ErrorSummary errors={errors} ids={{ happenedOn: "meeting-date", correspondent: "meeting-with", summary: "meeting-summary", body: "meeting-notes" }} />
      <Field label="Date of the meeting" errors={errors.happenedOn} inputProps={dateInput("happenedOn", "meeting-date", values.happenedOn, !!errors.happenedOn, today)} />
      <Field label="With whom" errors={errors.correspondent} inputProps={{ name: "correspondent", id: "meeting-with", defaultValue: values.correspondent, required: true }} />
      <Field label="Summary" hint="One line: what came of it" errors={errors.summary} inputProps={{ name: "summary", id: "meeting-summary", defaultValue: values.summary, required: true }} />
      <TextAreaField label="Notes (optional)" errors={errors.body} textareaProps={{ name: "body", id: "meeting-notes", rows: 4, defaultValue: values.body }} />
      <button type="submit" disabled={busy}>Log meeting</button>
    </Form>
  );
}

export function FollowUpForm({ answer, busy, action }: FormProps) {
  const { errors, formErrors, values } = answerFor("follow_up", answer);
  return (
    <Form method="post" action={action} className="stack" noValidate aria-labelledby="log-follow-up">
      <h3 id="log-follow-up">Add a follow-up</h3>
      <input type="hidden" name="intent" value="follow_up" />
      <ErrorList errors={formErrors} />
      <ErrorSummary errors={errors} ids={{ dueOn: "follow-up-due", summary: "follow-up-what" }} />
      <Field label="Due date" errors={errors.dueOn} inputProps={dateInput("dueOn", "follow-up-due", values.dueOn, !!errors.dueOn, "")} />
      <Field label="What to do" hint="e.g. Call the Legal Department if no answer" errors={errors.summary} inputProps={{ name: "summary", id: "follow-up-what", defaultValue: values.summary, required: true }} />
      <button type="submit" disabled={busy}>Add follow-up</button>
    </Form>
  );
}

export function SentOutsideForm({ answer, today, organisations, busy, action }: FormProps & { today: string; organisations: { id: number; name: string }[] }) {
  const { errors, formErrors, values } = answerFor("sent", answer);
  const only = organisations.length === 1 ? String(organisations[0].id) : "";
  return (
    <Form method="post" action={action} className="stack" noValidate aria-labelledby="log-sent">
      <h3 id="log-sent">Letter sent outside Demarche</h3>
      <p className="muted">For a letter sent before Demarche, by post, or from a mail program: the board then shows the state as contacted.</p>
      <input type="hidden" name="intent" value="sent" />
      <ErrorList errors={formErrors} />
      <ErrorSummary errors={errors} ids={{ happenedOn: "sent-date", organisationId: "sent-by", summary: "sent-note" }} />
      <Field label="Date sent" errors={errors.happenedOn} inputProps={dateInput("happenedOn", "sent-date", values.happenedOn, !!errors.happenedOn, today)} />
      <SelectField label="Sent by" name="organisationId" id="sent-by" defaultValue={values.organisationId ?? only} errors={errors.organisationId}
        options={[...(only ? [] : [{ value: "", label: "Choose an organisation…" }]), ...organisations.map((o) => ({ value: String(o.id), label: o.name }))]} />
      <Field label="Note (optional)" hint="e.g. Sent by post to the Foreign Minister" errors={errors.summary} inputProps={{ name: "summary", id: "sent-note", defaultValue: values.summary }} />
      <button type="submit" disabled={busy}>Log letter sent</button>
    </Form>
  );
}
