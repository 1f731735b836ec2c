// Editing one recipient. Adding, reordering, marking checked and removing happen on
// the country's recipient list; this page exists so errors sit beside the right fields.
// Here too the fallback: whom a letter goes to instead when this address bounces.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorList, Field, SelectField } from "~/components/forms";
import { todayUtc } from "~/models/country.server";
import { changeContext } from "~/models/audit.server";
import { editableCountryOr403, fallbackChoices, recipientEditSchema, recipientOr404, updateRecipient } from "~/models/recipient.server";
import { getDb } from "~/platform/db.server";
import { invalid } from "~/web/forms.server";
import { parseForm } from "~/schemas/form.server";
import { clientIp } from "~/platform/session.server";
import { requireUser } from "~/web/guards.server";
import { answering, failure } from "~/web/respond.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Edit ${data?.recipient.name ?? "recipient"} · Demarche` }];

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const country = await editableCountryOr403(db, user, params.code);
  const recipient = await recipientOr404(db, country.code, params.recipientId);
  return { country: { code: country.code, name: country.name }, recipient, fallbacks: await fallbackChoices(db, country.code, recipient.id), today: todayUtc() };
});

export const action = /* @__PURE__ */ answering(async ({ request, params }: ActionFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const country = await editableCountryOr403(db, user, params.code);
  const recipient = await recipientOr404(db, country.code, params.recipientId);
  const choices = await fallbackChoices(db, country.code, recipient.id);
  const form = await request.formData();
  const parsed = parseForm(recipientEditSchema(todayUtc(), { self: recipient.id, choices, countryName: country.name }), form);
  if (!parsed.ok) return invalid(parsed);
  try {
    await updateRecipient(db, changeContext(user, clientIp(request)), country.code, recipient.id, parsed.data);
  } catch (error) {
    return failure(error, form);
  }
  return redirect(`/countries/${country.code}/recipients?done=updated`);
});

export default function EditRecipient() {
  const { country: c, recipient: r, fallbacks, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors ?? {};
  const values: Record<string, string | undefined> = actionData?.values ?? {
    name: r.name,
    title: r.title,
    institution: r.institution ?? "",
    email: r.email ?? "",
    kind: r.kind,
    salutation: r.salutation ?? "",
    language: r.language,
    checked_on: r.checked_on,
    fallback_recipient_id: r.fallback_recipient_id === null ? "" : String(r.fallback_recipient_id),
  };
  return (
    <section>
      <p className="breadcrumbs">
        <Link to="/">Home</Link> / <Link to="/countries">Countries</Link> / <Link to={`/countries/${c.code}`}>{c.name}</Link> / <Link to={`/countries/${c.code}/recipients`}>Recipients</Link> / {r.name}
      </p>
      <h1>Edit recipient</h1>
      <Form method="post" className="stack" noValidate>
        <ErrorList errors={actionData?.formErrors} />
        <Field label="Name" errors={errors.name} inputProps={{ name: "name", defaultValue: values.name, required: true }} />
        <Field label="Title or role" hint="As the letter prints it: Foreign Minister of Norway, Minister of Justice, State Secretary, Director" errors={errors.title} inputProps={{ name: "title", defaultValue: values.title, required: true }} />
        <Field label="Institution" hint="Optional, e.g. Ministry of Foreign Affairs" errors={errors.institution} inputProps={{ name: "institution", defaultValue: values.institution }} />
        <Field label="Email" errors={errors.email} inputProps={{ name: "email", type: "email", defaultValue: values.email }} />
        <SelectField label="Addressed or copied" name="kind" defaultValue={values.kind} errors={errors.kind} options={[{ value: "addressee", label: "Addressed (address block and salutation)" }, { value: "copy", label: "Copied (CC list)" }]} />
        <Field label="Salutation" hint="Required for an addressee, e.g. Foreign Minister Espen Barth Eide," errors={errors.salutation} inputProps={{ name: "salutation", defaultValue: values.salutation }} />
        <Field label="Letter language" hint="A language tag: en for English, nb for Norwegian (bokmål), fr for French" errors={errors.language} inputProps={{ name: "language", defaultValue: values.language, required: true }} />
        <Field
          label="Checked on"
          hint={`The day someone confirmed this person holds this post. Set it to today (${today}) if you just did.`}
          errors={errors.checked_on}
          inputProps={{ name: "checked_on", type: errors.checked_on ? "text" : "date", defaultValue: values.checked_on, required: true }}
        />
        <SelectField label="Fallback if this address bounces" name="fallback_recipient_id" defaultValue={values.fallback_recipient_id ?? ""} errors={errors.fallback_recipient_id}
          hint={`Another recipient of ${c.name}, such as its embassy or its permanent mission in The Hague. When mail to this address bounces, a letter offers to go to them instead.`}
          options={[{ value: "", label: "No fallback" }, ...fallbacks.map((f) => ({ value: String(f.id), label: `${f.name}, ${f.title}${f.email ? ` <${f.email}>` : " (no email)"}` }))]} />
        <p className="toolbar">
          <button type="submit">Save recipient</button>
          <Link to={`/countries/${c.code}/recipients`}>Cancel</Link>
        </p>
      </Form>
    </section>
  );
}
