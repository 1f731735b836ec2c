import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorList } from "~/components/forms";
import { StatementFields, StatementPreview } from "~/components/statement-form";
import { changeContext } from "~/models/audit.server";
import { createStatement, languageOptions, organisationChoices, previewStatement, statementSchema } from "~/models/statement.server";
import { getDb } from "~/platform/db.server";
import { formValues, parseForm } from "~/schemas/form.server";
import { invalid } from "~/web/forms.server";
import { clientIp } from "~/platform/session.server";
import { requireCoordinator } from "~/web/guards.server";
import { failure } from "~/web/respond.server";

export const meta: MetaFunction = () => [{ title: "New statement · Demarche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  await requireCoordinator(request, db);
  return { organisations: await organisationChoices(db), languages: languageOptions(), today: new Date().toISOString().slice(0, 10) };
}

export async function action({ request }: ActionFunctionArgs) {
  const db = getDb();
  const user = await requireCoordinator(request, db);
  const form = await request.formData();
  const parsed = parseForm(statementSchema, form);
  if (!parsed.ok) return invalid(parsed);
  // Preview writes nothing: it shows the text as the public page will.
  if (form.get("intent") === "preview") return { ok: true as const, preview: previewStatement(parsed.data), values: formValues(form) };
  try {
    const { slug } = await createStatement(db, changeContext(user, clientIp(request)), parsed.data);
    return redirect(`/statements/${slug}?created=1`);
  } catch (error) {
    return failure(error, form);
  }
}

export default function NewStatement() {
  const { organisations, languages, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failed = actionData && !actionData.ok ? actionData : undefined;
  const preview = actionData?.ok ? actionData.preview : undefined;
  const values = actionData?.values ?? { date: today, language: "en" };
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / <Link to="/statements">Statements</Link> / New</p>
      <h1>New statement</h1>
      <p className="muted">A new statement is a draft: nothing is public until you open it for signatures.</p>
      <Form method="post" className="stack" noValidate>
        <ErrorList errors={failed?.formErrors} />
        <StatementFields values={values} errors={failed?.errors ?? {}} organisations={organisations} languages={languages} />
        <p className="toolbar">
          <button type="submit" name="intent" value="create" disabled={busy}>{busy ? "Saving…" : "Create draft"}</button>
          <button type="submit" name="intent" value="preview" className="secondary" disabled={busy}>Preview</button>
          <Link to="/statements">Cancel</Link>
        </p>
      </Form>
      {preview ? <StatementPreview title={values.title} bodyHtml={preview.bodyHtml} pointsHtml={preview.pointsHtml} /> : null}
    </section>
  );
}
