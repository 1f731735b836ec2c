// The organisation's own fields, shared by the "new" and "edit" forms so both ask
// for the same things in the same words.
import { Field, SelectField, TextAreaField } from "./forms";
import { type FieldErrors } from "~/lib/field-errors";

export const ORGANISATION_FIELDS = ["name", "acronym", "country_code", "website", "contact_email", "postal_address", "city"] as const;
type Name = (typeof ORGANISATION_FIELDS)[number];

export function OrganisationFields({
  values,
  errors,
  countries,
}: {
  values: Partial<Record<Name, string | null>>;
  errors: FieldErrors;
  countries: { code: string; name: string }[];
}) {
  const text = (name: Name, label: string, extra: { type?: string; required?: boolean; hint?: string; autoComplete?: string } = {}) => (
    <Field
      label={label}
      hint={extra.hint}
      errors={errors[name]}
      inputProps={{ name, type: extra.type ?? "text", defaultValue: values[name] ?? "", required: extra.required, autoComplete: extra.autoComplete }}
    />
  );
  return (
    <>
      {text("name", "Name", { required: true, hint: "As the organisation writes it, e.g. Norwegian Helsinki Committee." })}
      {text("acronym", "Acronym")}
      <SelectField
        label="Country"
        name="country_code"
        errors={errors.country_code}
        defaultValue={values.country_code ?? ""}
        options={[{ value: "", label: "— not set —" }, ...countries.map((c) => ({ value: c.code, label: c.name }))]}
      />
      {text("website", "Website", { type: "url", hint: "Starting with https://", autoComplete: "url" })}
      {text("contact_email", "Contact email", { type: "email", autoComplete: "email" })}
      <TextAreaField
        label="Postal address"
        hint="As it should appear on a letterhead, one line per line."
        errors={errors.postal_address}
        textareaProps={{ name: "postal_address", defaultValue: values.postal_address ?? "", rows: 4 }}
      />
      {text("city", "City", { hint: "Printed beside the date on letters, e.g. Oslo." })}
    </>
  );
}
