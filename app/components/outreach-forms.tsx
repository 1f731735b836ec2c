// The four forms on a state's outreach page. Each keeps its own values and errors: a
// refused reply must not blank the meeting form, so each form reads the action's
// answer only when that answer is for its own `intent`.
import { Form } from "@remix-run/react";
import { ErrorList, Field, SelectField, TextAreaField, type FieldErrors } from "./forms";

export type OutreachFormAnswer = { errors: FieldErrors; formErrors: string[]; values: Record<string, string> } | undefined;

function answerFor(intent: string, answer: OutreachFormAnswer) {
  const mine = answer?.values.intent === intent;
  return { errors: mine ? answer!.errors : {}, formErrors: mine ? answer!.formErrors : [], values: mine ? answer!.values : {} };
}

// A date input cannot show what the person typed when it is not a date; show it as text then.
const dateInput = (name: string, id: string, value: string | undefined, invalid: boolean, fallback: string) => ({
  name, id, type: invalid ? "text" : "date", defaultValue: value ?? fallback, required: true,
});

export function ReplyForm({ answer, maxLabel, busy }: { answer: OutreachFormAnswer; maxLabel: string; busy: boolean }) {
  const { errors, formErrors, values } = answerFor("reply", answer);
  return (
    <Form method="post" encType="multipart/form-data" className="stack" noValidate aria-labelledby="log-reply">
      <h3 id="log-reply">Log a reply</h3>
      <input type="hidden" name="intent" value="reply" />
      <ErrorList errors={formErrors} />
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

export function MeetingForm({ answer, today, busy }: { answer: OutreachFormAnswer; today: string; busy: boolean }) {
  const { errors, formErrors, values } = answerFor("meeting", answer);
  return (
    <Form method="post" className="stack" noValidate aria-labelledby="log-meeting">
      <h3 id="log-meeting">Log a meeting</h3>
      <input type="hidden" name="intent" value="meeting" />
      <ErrorList errors={formErrors} />
      <Field label="Date of the meeting" errors={errors.happenedOn} inputProps={dateInput("happenedOn", "meeting-date", values.happenedOn, !!errors.happenedOn, today)} />
      <Field label="With whom" errors={errors.correspondent} inputProps={{ name: "correspondent", id: "meeting-with", defaultValue: values.correspondent, required: true }} />
      <Field label="Summary" hint="One line: what came of it" errors={errors.summary} inputProps={{ name: "summary", id: "meeting-summary", defaultValue: values.summary, required: true }} />
      <TextAreaField label="Notes (optional)" errors={errors.body} textareaProps={{ name: "body", id: "meeting-notes", rows: 4, defaultValue: values.body }} />
      <button type="submit" disabled={busy}>Log meeting</button>
    </Form>
  );
}

export function FollowUpForm({ answer, busy }: { answer: OutreachFormAnswer; busy: boolean }) {
  const { errors, formErrors, values } = answerFor("follow_up", answer);
  return (
    <Form method="post" className="stack" noValidate aria-labelledby="log-follow-up">
      <h3 id="log-follow-up">Add a follow-up</h3>
      <input type="hidden" name="intent" value="follow_up" />
      <ErrorList errors={formErrors} />
      <Field label="Due date" errors={errors.dueOn} inputProps={dateInput("dueOn", "follow-up-due", values.dueOn, !!errors.dueOn, "")} />
      <Field label="What to do" hint="e.g. Call the Legal Department if no answer" errors={errors.summary} inputProps={{ name: "summary", id: "follow-up-what", defaultValue: values.summary, required: true }} />
      <button type="submit" disabled={busy}>Add follow-up</button>
    </Form>
  );
}

export function SentOutsideForm({ answer, today, organisations, busy }: { answer: OutreachFormAnswer; today: string; organisations: { id: number; name: string }[]; busy: boolean }) {
  const { errors, formErrors, values } = answerFor("sent", answer);
  const only = organisations.length === 1 ? String(organisations[0].id) : "";
  return (
    <Form method="post" className="stack" noValidate aria-labelledby="log-sent">
      <h3 id="log-sent">Letter sent outside Demarche</h3>
      <p className="muted">For a letter sent before Demarche, by post, or from a mail program: the board then shows the state as contacted.</p>
      <input type="hidden" name="intent" value="sent" />
      <ErrorList errors={formErrors} />
      <Field label="Date sent" errors={errors.happenedOn} inputProps={dateInput("happenedOn", "sent-date", values.happenedOn, !!errors.happenedOn, today)} />
      <SelectField label="Sent by" name="organisationId" id="sent-by" defaultValue={values.organisationId ?? only} errors={errors.organisationId}
        options={[...(only ? [] : [{ value: "", label: "Choose an organisation…" }]), ...organisations.map((o) => ({ value: String(o.id), label: o.name }))]} />
      <Field label="Note (optional)" hint="e.g. Sent by post to the Foreign Minister" errors={errors.summary} inputProps={{ name: "summary", id: "sent-note", defaultValue: values.summary }} />
      <button type="submit" disabled={busy}>Log letter sent</button>
    </Form>
  );
}
