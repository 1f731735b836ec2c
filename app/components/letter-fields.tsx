// Fields shared by the single-letter and the bulk letter forms, so both ask for the
// sender, its signers, the place and the date in the same words.
import { ErrorList, Field, SelectField } from "./forms";
import { type FieldErrors } from "~/lib/field-errors";

type Sender = { id: number; name: string; signers: { id: number; name: string; title: string }[] };

/**
 * What a letter form starts with: after a refusal, what was sent (the ticked signers
 * too); else the member's own organisation as sender, its signers ticked, and today.
 */
export function letterFormStart(
  sent: { values?: Record<string, string>; signerIds?: string[] } | undefined,
  { senders, ownOrganisation, today }: { senders: Sender[]; ownOrganisation: number | null; today: string },
) {
  const values: Record<string, string | undefined> = sent?.values ?? { organisationId: ownOrganisation ? String(ownOrganisation) : "", date: today };
  const checked = new Set(sent?.signerIds ?? senders.filter((s) => s.id === ownOrganisation).flatMap((s) => s.signers.map((g) => String(g.id))));
  return { values, checked };
}

export function SenderAndSignersFields({ senders, values, errors, checked }: { senders: Sender[]; values: Record<string, string | undefined>; errors: FieldErrors; checked: Set<string> }) {
  return (
    <>
      <SelectField label="Sending organisation" name="organisationId" defaultValue={values.organisationId ?? ""} errors={errors.organisationId}
        options={[{ value: "", label: "Choose an organisation…" }, ...senders.map((s) => ({ value: String(s.id), label: s.name }))]} />
      <fieldset aria-invalid={errors.signerIds ? true : undefined} aria-describedby={errors.signerIds ? "signers-error" : undefined}>
        <legend>Signed by (in this order; only the sending organisation's signers)</legend>
        {senders.map((s) => (
          <div key={s.id}>
            {senders.length > 1 ? <p className="muted">{s.name}</p> : null}
            {s.signers.map((g) => (
              <label key={g.id} className="checkbox">
                <input type="checkbox" name="signerIds" value={g.id} defaultChecked={checked.has(String(g.id))} /> {g.name}, {g.title}
              </label>
            ))}
          </div>
        ))}
        <ErrorList id="signers-error" errors={errors.signerIds} />
      </fieldset>
    </>
  );
}

export function PlaceAndDateFields({ values, errors }: { values: Record<string, string | undefined>; errors: FieldErrors }) {
  return (
    <>
      <Field label="Place" hint="Leave blank for the sending organisation's city" errors={errors.place} inputProps={{ name: "place", defaultValue: values.place }} />
      {/* A browser blanks a date box holding an impossible date, so a refused date is shown as text. */}
      <Field label="Date" errors={errors.date} inputProps={{ name: "date", type: errors.date ? "text" : "date", defaultValue: values.date, required: true }} />
    </>
  );
}
