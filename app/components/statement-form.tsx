// The statement's fields, shared by the "new" and "edit" pages so both ask for the same
// things in the same words, plus the small pieces the coordinator pages show beside them.
import type { StatementStatus } from "../../db/schema";
import { ErrorList, Field, SelectField, TextAreaField } from "./forms";
import { type FieldErrors } from "~/lib/field-errors";

type Values = Record<string, string | undefined>;
type Option = { value: string; label: string };

/** The form's values for a stored statement (the edit page before any submit). */
export function statementFormValues(
  s: { title: string; slug: string; statement_date: string; author_organisation_id: number | null; language: string; lead_in: string; body_markdown: string; signing_deadline: string | null },
  points: { text: string }[],
  footnotes: { mark: string; text: string }[],
): Values {
  const values: Values = {
    title: s.title,
    slug: s.slug,
    date: s.statement_date,
    author: s.author_organisation_id === null ? "" : String(s.author_organisation_id),
    language: s.language,
    lead_in: s.lead_in,
    body: s.body_markdown,
    points: points.map((p) => p.text).join("\n"),
    deadline: s.signing_deadline ? deadlineInputValue(s.signing_deadline) : "",
  };
  footnotes.forEach((f, i) => {
    values[`footnotes.${i}.mark`] = f.mark;
    values[`footnotes.${i}.text`] = f.text;
  });
  return values;
}

/** ISO UTC -> the value of a datetime-local field, which this form reads as UTC. */
export function deadlineInputValue(iso: string): string {
  return iso.endsWith(":00.000Z") ? iso.slice(0, 16) : iso.slice(0, 19);
}

export function formatUtc(iso: string): string {
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

const STATUS_LABEL: Record<StatementStatus, string> = { draft: "Draft", open: "Open for signatures", closed: "Closed", published: "Published" };
const STATUS_CLASS: Record<StatementStatus, string> = { draft: "badge", open: "badge ok", closed: "badge bad", published: "badge ok" };

export function StatusBadge({ status }: { status: StatementStatus }) {
  return <span className={STATUS_CLASS[status]}>{STATUS_LABEL[status]}</span>;
}

export function StatementFields({
  values,
  errors,
  organisations,
  languages,
  locked = {},
}: {
  values: Values;
  errors: FieldErrors;
  organisations: { id: number; name: string }[];
  languages: Option[];
  /** Fields the statement's state does not let change, with the reason shown as their hint. */
  locked?: Partial<Record<"slug" | "deadline", string>>;
}) {
  return (
    <>
      <Field label="Title" errors={errors.title} inputProps={{ name: "title", defaultValue: values.title ?? "", required: true }} />
      <Field
        label="Address"
        hint={locked.slug ?? <>The public page will be at /s/<em>address</em>. Lowercase letters, digits and hyphens; leave empty to make one from the title.</>}
        errors={errors.slug}
        inputProps={{ name: "slug", defaultValue: values.slug ?? "", readOnly: Boolean(locked.slug), autoCapitalize: "none", spellCheck: false, pattern: "[a-z0-9]+(-[a-z0-9]+)*" }}
      />
      <Field label="Date" hint="The date the statement carries." errors={errors.date} inputProps={{ name: "date", type: "date", defaultValue: values.date ?? "", required: true }} />
      <SelectField
        label="Authoring organisation"
        name="author"
        errors={errors.author}
        defaultValue={values.author ?? ""}
        options={[{ value: "", label: "— none —" }, ...organisations.map((o) => ({ value: String(o.id), label: o.name }))]}
      />
      <SelectField label="Language" name="language" errors={errors.language} defaultValue={values.language ?? "en"} options={languages} />
      <TextAreaField
        label="Text"
        hint="Markdown: a blank line between paragraphs, **bold**, *italic*, [link text](https://…). HTML is shown as typed, never run. At most 100,000 characters."
        errors={errors.body}
        textareaProps={{ name: "body", defaultValue: values.body ?? "", rows: 16 }}
      />
      <TextAreaField
        label="Demands"
        hint="One point per line, in the order they should appear. Blank lines are ignored; a long point wraps on screen but stays one point. **Bold** works. At most 2,000 characters each."
        errors={errors.points}
        textareaProps={{ name: "points", defaultValue: values.points ?? "", rows: 8 }}
      />
      <Field
        label="Lead-in line above the signatories"
        hint="e.g. “The Coalition for the International Criminal Court (CICC) and:”"
        errors={errors.lead_in}
        inputProps={{ name: "lead_in", defaultValue: values.lead_in ?? "" }}
      />
      <FootnoteRows values={values} errors={errors} />
      <Field
        label="Signing deadline (UTC, optional)"
        hint={locked.deadline ?? "The statement stops taking signatures at this moment, in UTC. Leave empty to close it by hand."}
        errors={errors.deadline}
        inputProps={{ name: "deadline", type: "datetime-local", defaultValue: values.deadline ?? "", readOnly: Boolean(locked.deadline) }}
      />
    </>
  );
}

function FootnoteRows({ values, errors }: { values: Values; errors: FieldErrors }) {
  const indexes = Object.keys(values)
    .map((k) => /^footnotes\.(\d+)\.mark$/.exec(k)?.[1])
    .filter((i): i is string => i !== undefined)
    .map(Number);
  const sent = indexes.length ? Math.max(...indexes) + 1 : 0;
  const filled = indexes.filter((i) => (values[`footnotes.${i}.mark`] ?? "") !== "" || (values[`footnotes.${i}.text`] ?? "") !== "").length;
  const rows = Math.max(sent, filled + 2);
  return (
    <fieldset>
      <legend>Footnotes</legend>
      <p className="hint muted">A mark (such as *) and its text, printed after the signatory list. Marks are attached to signatories in moderation. Empty rows are ignored; save to get more rows.</p>
      <ErrorList errors={errors.footnotes} />
      {Array.from({ length: rows }, (_, i) => (
        <div className="toolbar" key={i}>
          <Field
            label={<>Mark <span className="visually-hidden">of footnote {i + 1}</span></>}
            errors={errors[`footnotes.${i}.mark`]}
            inputProps={{ name: `footnotes.${i}.mark`, defaultValue: values[`footnotes.${i}.mark`] ?? "", size: 4 }}
          />
          <Field
            label={<>Text <span className="visually-hidden">of footnote {i + 1}</span></>}
            errors={errors[`footnotes.${i}.text`]}
            inputProps={{ name: `footnotes.${i}.text`, defaultValue: values[`footnotes.${i}.text`] ?? "", size: 50 }}
          />
        </div>
      ))}
    </fieldset>
  );
}

/** The submitted text as the public page would render it (HTML made safe on the server). */
export function StatementPreview({ title, bodyHtml, pointsHtml }: { title?: string; bodyHtml: string; pointsHtml: string[] }) {
  return (
    <section className="preview" aria-labelledby="preview-heading">
      <h2 id="preview-heading">Preview</h2>
      {title ? <p><strong>{title}</strong></p> : null}
      {bodyHtml ? <div dangerouslySetInnerHTML={{ __html: bodyHtml }} /> : <p className="muted">No text yet.</p>}
      {pointsHtml.length ? (
        <ol>
          {pointsHtml.map((html, i) => (
            <li key={i} dangerouslySetInnerHTML={{ __html: html }} />
          ))}
        </ol>
      ) : null}
    </section>
  );
}
