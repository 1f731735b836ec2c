// /s/:slug/sign: organisations sign a statement, no account needed. The answer to a
// submission never says whether anyone else has signed (beyond the public list), and
// a robot that fills the hidden field gets the same "check your email" as a person.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { ErrorList, Field, SelectField, TextAreaField } from "~/components/forms";
import { countryOptions } from "~/models/organisation.server";
import { NotFound } from "~/platform/errors.server";
import { HONEYPOT_FIELD, signOnSchema } from "~/models/signature.server";
import { requireCurrentStatement } from "~/models/statement.server";
import { acceptsSignatures, effectiveStatus, isPublic, refusalReason } from "~/models/statement-lifecycle.server";
import { getDb } from "~/platform/db.server";
import { formError, invalid } from "~/web/forms.server";
import { parseForm } from "~/schemas/form.server";
import { signOn } from "~/workflows/sign-on.server";
import { clientIp } from "~/platform/session.server";
import { replayOr } from "~/web/action-replay.server";
import { answering, failure } from "~/web/respond.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Sign: ${data?.statement.title ?? "statement"} · Demarche` }];

async function publicStatement(slug: string | undefined) {
  const statement = await requireCurrentStatement(getDb(), slug);
  // Drafts are not public: their address answers like an unknown one.
  if (!isPublic(statement.status)) throw new NotFound("There is no statement at this address.");
  return statement;
}

const collator = new Intl.Collator("en");

export const loader = /* @__PURE__ */ answering(async ({ params }: LoaderFunctionArgs) => {
  const statement = await publicStatement(params.slug);
  const open = acceptsSignatures(statement);
  const countries = open ? (await countryOptions(getDb())).sort((a, b) => collator.compare(a.name, b.name)) : [];
  return {
    statement: { slug: statement.slug, title: statement.title, deadline: statement.signing_deadline },
    open,
    closedReason: open ? null : refusalReason(effectiveStatus(statement), "signatures"),
    countries,
    // The name comes with the data: the component cannot import from a .server module.
    honeypot: HONEYPOT_FIELD,
  };
});

// Listed in server.ts's redirect fast path: an outcome it already has is handed back.
export const action = /* @__PURE__ */ answering((args: ActionFunctionArgs) => replayOr(args.request, () => signAction(args)));

async function signAction({ request, params }: ActionFunctionArgs) {
  const statement = await publicStatement(params.slug);
  const form = await request.formData();
  if (!acceptsSignatures(statement)) return formError(form, refusalReason(effectiveStatus(statement), "signatures"), 409);
  const sent = redirect(`/s/${statement.slug}/sign?sent=1`);
  if (String(form.get(HONEYPOT_FIELD) ?? "") !== "") return sent;
  const parsed = parseForm(signOnSchema, form);
  if (!parsed.ok) return invalid(parsed);
  try {
    const outcome = await signOn(getDb(), statement, parsed.data, clientIp(request));
    if (!outcome.ok) return formError(form, outcome.message, outcome.status);
  } catch (error) {
    return failure(error, form);
  }
  return sent;
}

export default function SignStatement() {
  const { statement: s, open, closedReason, countries, honeypot } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  // A plain link: the statement page is a cached document outside Remix's router.
  const back = <p><a href={`/s/${s.slug}`}>Back to the statement</a></p>;

  if (params.has("sent")) {
    return (
      <section>
        <h1>Check your email</h1>
        <p role="status">We have sent a link to the email address you gave. Open it within 48 hours to confirm the signature; the coordinators then review it before it is listed on <strong>{s.title}</strong>.</p>
        <p className="muted">Nothing arrived? Look in your spam folder, or sign again with the correct address.</p>
        {back}
      </section>
    );
  }
  // Where the confirmation link lands: what happened and what comes next, not a second
  // form that would invite signing again.
  if (params.has("verified")) {
    return (
      <section>
        <h1>Your signature is confirmed</h1>
        <p role="status">Thank you. The signature of <strong>{s.title}</strong> is confirmed.</p>
        <h2>What happens next</h2>
        <ol>
          <li>The coalition's coordinators check the sign-on (that the organisation exists and has not signed already).</li>
          <li>You get an email when it is approved, with a link to withdraw it should you ever need to.</li>
          <li>The organisation then appears in the alphabetical list of signatories on the statement's page.</li>
        </ol>
        <p className="muted">There is nothing more to do, and no need to sign again.</p>
        {back}
      </section>
    );
  }
  const flash = params.has("withdrawn") ? "The signature has been withdrawn." : null;

  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? {};
  const text = (name: string, label: string, extra: { type?: string; hint?: string; autoComplete?: string; required?: boolean } = {}) => (
    <Field
      label={label}
      hint={extra.hint}
      errors={errors[name]}
      inputProps={{ name, type: extra.type ?? "text", defaultValue: values[name] ?? "", autoComplete: extra.autoComplete, required: extra.required }}
    />
  );
  return (
    <section>
      <p className="breadcrumbs"><a href={`/s/${s.slug}`}>{s.title}</a> / Sign</p>
      <h1>Sign “{s.title}”</h1>
      {flash ? <p className="flash" role="status">{flash}</p> : null}
      {!open ? (
        <>
          <p><strong>Signing is closed.</strong> {closedReason}</p>
          {back}
        </>
      ) : (
        <Form method="post" className="stack" noValidate>
          <p className="muted">Sign on behalf of your organisation. We email you a link to confirm; the coalition's coordinators review every signature before it is listed.</p>
          {s.deadline ? <p>Organisations can sign until {s.deadline.slice(0, 16).replace("T", " ")} UTC.</p> : null}
          <ErrorList errors={actionData?.formErrors} />
          {text("name", "Organisation name", { required: true, autoComplete: "organization", hint: "As it should appear in the list of signatories." })}
          {text("acronym", "Acronym (optional)")}
          <SelectField
            label="Country"
            name="country"
            errors={errors.country}
            defaultValue={values.country ?? ""}
            options={[{ value: "", label: "— choose where the organisation is based —" }, ...countries.map((c) => ({ value: c.code, label: c.name }))]}
          />
          {text("website", "Website (optional)", { type: "url", autoComplete: "url", hint: "Starting with https://" })}
          {text("contact_name", "Contact person", { required: true, autoComplete: "name" })}
          {text("contact_title", "Their title", { required: true, autoComplete: "organization-title", hint: "For example: Executive Director." })}
          {text("email", "Email", { type: "email", required: true, autoComplete: "email", hint: "We send the confirmation link here." })}
          <TextAreaField label="Note to the coordinators (optional)" hint="Not published." errors={errors.note} textareaProps={{ name: "note", defaultValue: values.note ?? "", rows: 4 }} />
          <div aria-hidden="true" className="visually-hidden">
            <label htmlFor={honeypot}>Leave this field empty</label>
            <input id={honeypot} name={honeypot} type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
          </div>
          <div className="field">
            <label>
              <input
                type="checkbox"
                name="consent"
                value="yes"
                defaultChecked={values.consent === "yes"}
                aria-invalid={errors.consent ? true : undefined}
                aria-describedby={errors.consent ? "consent-error" : "consent-hint"}
              />{" "}
              I agree to how these details are used, and may sign for this organisation.
            </label>
            <div id="consent-hint" className="hint">
              If the signature is approved, the organisation's name, acronym and country are published with the statement.
              The contact person, title, email, website and note are seen only by the coalition's coordinators, to check
              the signature and to write to you about this statement. Every email has a link to withdraw the signature.
            </div>
            <ErrorList id="consent-error" errors={errors.consent} />
          </div>
          <p><button type="submit" disabled={busy}>{busy ? "Sending…" : "Sign the statement"}</button></p>
        </Form>
      )}
    </section>
  );
}
