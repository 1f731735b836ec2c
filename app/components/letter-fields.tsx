// Fields shared by the single-letter and the bulk letter forms, so both ask for the
// sender, its signers, the place and the date in the same words.
import { useEffect, useState } from "react";
import { ErrorList, Field, SelectField } from "./forms";
import { type FieldErrors } from "~/lib/field-errors";
import { SHOW_SIGNERS } from "~/lib/letter-form";

type Sender = { id: number; name: string; signers: { id: number; name: string; title: string }[] };

/**
 * What a letter form starts with: after a refusal, what was sent (the ticked signers
 * too); after "show signers", the chosen sender with all its signers ticked; else the
 * member's own organisation as sender, its signers ticked, and today.
 */
export function letterFormStart(
  sent: { values?: Record<string, string>; signerIds?: string[]; senderChosen?: boolean } | undefined,
  { senders, ownOrganisation, today }: { senders: Sender[]; ownOrganisation: number | null; today: string },
) {
  const values: Record<string, string | undefined> = sent?.values ?? { organisationId: ownOrganisation ? String(ownOrganisation) : "", date: today };
  const sender = sent?.senderChosen || !sent ? Number(values.organisationId) : NaN;
  const checked = new Set(sent && !sent.senderChosen ? sent.signerIds ?? [] : allSignersOf(senders, sender));
  return { values, checked };
}

const SENDER_ID = "letter-sender";

const allSignersOf = (senders: Sender[], id: number) => senders.filter((s) => s.id === id).flatMap((s) => s.signers.map((g) => String(g.id)));

/**
 * The sender and, below it, only that organisation's signers. With JavaScript the list
 * follows the select at once (the new sender's signers ticked); without, the button
 * beside the select sends the form back with the chosen sender's signers, keeping
 * everything typed.
 */
export function SenderAndSignersFields({ senders, values, errors, checked }: { senders: Sender[]; values: Record<string, string | undefined>; errors: FieldErrors; checked: Set<string> }) {
  const initial = values.organisationId ?? "";
  const [chosen, setChosen] = useState(initial);
  // A sender chosen before the page's script loaded is the one whose signers to show.
  useEffect(() => {
    const select = document.getElementById(SENDER_ID) as HTMLSelectElement | null;
    if (select && select.value !== initial) setChosen(select.value);
  }, [initial]);
  const sender = senders.find((s) => String(s.id) === chosen);
  const ticked = chosen === initial ? checked : new Set(allSignersOf(senders, Number(chosen)));
  return (
    <>
      <div className="toolbar">
        <SelectField id={SENDER_ID} label="Sending organisation" name="organisationId" defaultValue={initial} errors={errors.organisationId} onChange={setChosen}
          options={[{ value: "", label: "Choose an organisation…" }, ...senders.map((s) => ({ value: String(s.id), label: s.name }))]} />
        <noscript>
          <button type="submit" name="intent" value={SHOW_SIGNERS} className="secondary" formNoValidate>Show its signers</button>
        </noscript>
      </div>
      <fieldset aria-invalid={errors.signerIds ? true : undefined} aria-describedby={errors.signerIds ? "signers-error" : undefined}>
        <legend>Signed by (in this order)</legend>
        {!sender ? <p className="muted">Choose the sending organisation to see its signers.</p>
          : sender.signers.length === 0 ? <p className="muted">{sender.name} has no signers yet: add them on its page.</p>
          : sender.signers.map((g) => (
            <label key={`${chosen}-${g.id}`} className="checkbox">
              <input type="checkbox" name="signerIds" value={g.id} defaultChecked={ticked.has(String(g.id))} /> {g.name}, {g.title}
            </label>
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
