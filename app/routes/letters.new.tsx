// Writing a letter: statement, country (for members, the countries their organisation
// covers), sender and its signers (in their order), place, date, language, and an
// optional subject and paragraph of the sender's own. Saving builds and renders it from
// the recipient list; a refusal or a template error comes back beside the field.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { letterFormStart, PlaceAndDateFields, SenderAndSignersFields } from "~/components/letter-fields";
import { ErrorList, Field, SelectField, TextAreaField } from "~/components/forms";
import { todayUtc } from "~/models/country.server";
import { createLetter, letterFormChoices, letterSchema } from "~/models/letter.server";
import { isCoordinator } from "~/models/permissions.server";
import { languageName } from "~/models/recipient.server";
import { getDb } from "~/platform/db.server";
import { requireUser } from "~/web/guards.server";
import { letterFormAction } from "~/web/letter-form.server";

export const meta: MetaFunction = () => [{ title: "Write a letter · Demarche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  const user = await requireUser(request, db);
  const choices = await letterFormChoices(db, user);
  return { ...choices, languages: choices.languages.map((code) => ({ code, name: languageName(code) })), today: todayUtc(), ownOrganisation: isCoordinator(user) ? null : user.organisation_id };
}

export const action = ({ request }: ActionFunctionArgs) =>
  letterFormAction(request, letterSchema, async (db, user, ctx, input) => redirect(`/letters/${await createLetter(db, user, ctx, input)}?done=created`));

export default function NewLetter() {
  const { statements, countries, senders, languages, today, ownOrganisation } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors ?? {};
  const { values, checked } = letterFormStart(actionData, { senders, ownOrganisation, today });
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / <Link to="/letters">Letters</Link> / New</p>
      <h1>Write a letter</h1>
      <Form method="post" className="stack" noValidate>
        <ErrorList errors={actionData?.formErrors} />
        <SelectField label="Statement" name="statementId" defaultValue={values.statementId ?? ""} errors={errors.statementId}
          options={[{ value: "", label: "Choose a statement…" }, ...statements.map((s) => ({ value: String(s.id), label: s.title }))]} />
        <SelectField label="Country written to" name="countryCode" defaultValue={values.countryCode ?? ""} errors={errors.countryCode}
          options={[{ value: "", label: countries.length ? "Choose a country…" : "No country to choose: none is covered or has an addressee" }, ...countries.map((c) => ({ value: c.code, label: c.name }))]} />
        <SenderAndSignersFields senders={senders} values={values} errors={errors} checked={checked} />
        <PlaceAndDateFields values={values} errors={errors} />
        <SelectField label="Language" name="language" defaultValue={values.language ?? ""} errors={errors.language}
          options={[{ value: "", label: "The recipients' language (English if there are no templates in it)" }, ...languages.map((l) => ({ value: l.code, label: `${l.name} (${l.code})` }))]} />
        <Field label="Subject" hint="Optional: leave blank for the template's subject" errors={errors.subject} inputProps={{ name: "subject", defaultValue: values.subject }} />
        <TextAreaField label="A paragraph of your own" hint="Optional, plain text" errors={errors.ownParagraph} textareaProps={{ name: "ownParagraph", defaultValue: values.ownParagraph, rows: 5 }} />
        <p className="toolbar"><button type="submit">Save draft</button><Link to="/letters">Cancel</Link></p>
      </Form>
    </section>
  );
}
