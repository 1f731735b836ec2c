// Bulk letters: one statement from one sender (members: their own organisation) with
// its signers, place, date and language, written to every country with an addressee
// (members: the countries their organisation covers). Saving writes each country's
// letter on its own (a refused country is skipped with its reason) and goes to the
// batch's page, which follows its PDFs and offers the ZIP.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { letterFormStart, PlaceAndDateFields, SenderAndSignersFields } from "~/components/letter-fields";
import { ErrorList, SelectField } from "~/components/forms";
import { todayUtc } from "~/models/country.server";
import { batchCountries, createLetterBatch, letterBatchSchema } from "~/models/letter-batch.server";
import { letterFormChoices } from "~/models/letter.server";
import { isCoordinator } from "~/models/permissions.server";
import { languageName } from "~/models/recipient.server";
import { getDb } from "~/platform/db.server";
import { requireUser } from "~/web/guards.server";
import { letterFormAction } from "~/web/letter-form.server";

export const meta: MetaFunction = () => [{ title: "Generate letters for all countries · Demarche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  const user = await requireUser(request, db);
  const [choices, countries] = await Promise.all([letterFormChoices(db, user), batchCountries(db, user)]);
  return {
    statements: choices.statements, senders: choices.senders, languages: choices.languages.map((code) => ({ code, name: languageName(code) })),
    countries, today: todayUtc(), ownOrganisation: isCoordinator(user) ? null : user.organisation_id, coordinator: isCoordinator(user),
  };
}

// The form has no country (it is every one): a refusal about one is said above the form.
export const action = ({ request }: ActionFunctionArgs) =>
  letterFormAction(request, letterBatchSchema, async (db, user, ctx, input) => redirect(`/letters/bulk/${(await createLetterBatch(db, user, ctx, input)).id}`), ["countryCode"]);

export default function BulkLetters() {
  const { statements, senders, languages, countries, today, ownOrganisation, coordinator } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors ?? {};
  const { values, checked } = letterFormStart(actionData, { senders, ownOrganisation, today });
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / <Link to="/letters">Letters</Link> / For all countries</p>
      <h1>Generate letters for all countries</h1>
      <p>
        {coordinator ? "One letter to each country with an addressee" : "One letter to each country your organisation covers"}: {countries.length}{" "}
        {countries.length === 1 ? "country" : "countries"}{countries.length ? ` (${countries.map((c) => c.name).join(", ")})` : ""}. A country whose letter is
        refused is skipped, with the reason; the others are saved as drafts and their PDFs prepared in the background.
      </p>
      <Form method="post" className="stack" noValidate>
        <ErrorList errors={actionData?.formErrors} />
        <SelectField label="Statement" name="statementId" defaultValue={values.statementId ?? ""} errors={errors.statementId}
          options={[{ value: "", label: "Choose a statement…" }, ...statements.map((s) => ({ value: String(s.id), label: s.title }))]} />
        <SenderAndSignersFields senders={senders} values={values} errors={errors} checked={checked} />
        <PlaceAndDateFields values={values} errors={errors} />
        <SelectField label="Language" name="language" defaultValue={values.language ?? ""} errors={errors.language}
          options={[{ value: "", label: "Each country's recipients' language (English if there are no templates in it)" }, ...languages.map((l) => ({ value: l.code, label: `${l.name} (${l.code})` }))]} />
        <p className="toolbar"><button type="submit" disabled={countries.length === 0}>Generate {countries.length} letters</button><Link to="/letters">Cancel</Link></p>
      </Form>
    </section>
  );
}
