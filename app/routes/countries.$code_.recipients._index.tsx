// A country's recipient list: who its letters are addressed to and copied to, with
// entries not checked for six months flagged, and what came back about each address
// (delivered, soft-bouncing, bouncing: issue 12). Everyone signed in reads it; coordinators
// and members of an organisation that covers the country edit it; coordinators assign
// organisations to the country. Editing one entry has its own page, so errors sit
// beside the right fields.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ErrorList, Field, SelectField } from "~/components/forms";
import { IntentButton } from "~/components/intent-button";
import { todayUtc } from "~/models/country.server";
import { assignedOrganisations, assignOrganisation, unassignedOrganisations, unassignOrganisation } from "~/models/coverage.server";
import { changeContext } from "~/models/audit.server";
import {
  addRecipient,
  countryOr404,
  editableCountryOr403,
  isStale,
  languageName,
  recipientsSeenBy,
  markRecipientsChecked,
  moveRecipient,
  moveRecipientSchema,
  organisationIdSchema,
  recipientIdSchema,
  recipientSchema,
  removeRecipient,
  staleFrom,
} from "~/models/recipient.server";
import { getDb } from "~/platform/db.server";
import { invalid } from "~/web/forms.server";
import { parseForm } from "~/schemas/form.server";
import { clientIp } from "~/platform/session.server";
import { acronymToAdd, organisationLabel } from "~/lib/organisation-name";
import { dayInWords } from "~/lib/time-in-words";
import { addressStatusDetail, type AddressState } from "~/lib/address-status";
import { requireUser } from "~/web/guards.server";
import { answering, tamperedForm } from "~/web/respond.server";
import { isCoordinator } from "~/models/permissions.server";
import { Forbidden } from "~/platform/errors.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Recipients · ${data?.country.name ?? "Country"} · Demarche` }];

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const today = todayUtc();
  const country = await countryOr404(db, params.code, today);
  const coordinator = isCoordinator(user);
  const [{ recipients, details }, organisations, assignable] = await Promise.all([
    recipientsSeenBy(db, user, country.code),
    assignedOrganisations(db, country.code),
    coordinator ? unassignedOrganisations(db, country.code) : Promise.resolve([]),
  ]);
  // One rule (ADR 0014): who sees a country's recipients in full is who may edit them.
  const canEdit = details;
  return {
    country: { code: country.code, name: country.name, isParty: country.is_party },
    recipients: recipients.map((r) => ({ ...r, stale: isStale(r.checked_on, today), staleFrom: staleFrom(r.checked_on), languageName: languageName(r.language) })),
    organisations,
    assignable,
    canEdit,
    details,
    coordinator,
    today,
  };
});

export const action = /* @__PURE__ */ answering(async ({ request, params }: ActionFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "assign" || intent === "unassign") {
    if (!isCoordinator(user)) throw new Forbidden("Only coordinators assign organisations to countries.");
    const country = await countryOr404(db, params.code);
    const parsed = parseForm(organisationIdSchema, form);
    if (!parsed.ok) return invalid(parsed);
    const ctx = changeContext(user, clientIp(request));
    if (intent === "assign") await assignOrganisation(db, ctx, country.code, parsed.data.organisationId);
    else await unassignOrganisation(db, ctx, country.code, parsed.data.organisationId);
    return redirect(`/countries/${country.code}/recipients?done=${intent}ed#organisations`);
  }

  const country = await editableCountryOr403(db, user, params.code);
  const ctx = changeContext(user, clientIp(request));
  const back = (done: string) => redirect(`/countries/${country.code}/recipients?done=${done}`);
  if (intent === "add") {
    const parsed = parseForm(recipientSchema(todayUtc()), form);
    if (!parsed.ok) return invalid(parsed);
    await addRecipient(db, ctx, country.code, parsed.data);
    return back("added");
  }
  if (intent === "move") {
    const parsed = parseForm(moveRecipientSchema, form);
    if (!parsed.ok) throw tamperedForm();
    await moveRecipient(db, ctx, country.code, parsed.data.recipientId, parsed.data.direction);
    return back("moved");
  }
  if (intent === "remove" || intent === "check") {
    const parsed = parseForm(recipientIdSchema, form);
    if (!parsed.ok) throw tamperedForm();
    if (intent === "remove") await removeRecipient(db, ctx, country.code, parsed.data.recipientId);
    else await markRecipientsChecked(db, ctx, country.code, [parsed.data.recipientId], todayUtc());
    return back(intent === "remove" ? "removed" : "checked");
  }
  if (intent === "check-all") {
    await markRecipientsChecked(db, ctx, country.code, "all", todayUtc());
    return back("checked");
  }
  throw tamperedForm();
});

const FLASH: Record<string, string> = {
  added: "Recipient added.",
  updated: "Recipient saved.",
  moved: "Order saved.",
  removed: "Recipient removed.",
  checked: "Marked as checked today.",
  assigned: "Organisation assigned.",
  unassigned: "Assignment ended.",
};

type Listed = ReturnType<typeof useLoaderData<typeof loader>>["recipients"][number];

export default function RecipientsPage() {
  const { country: c, recipients, organisations, assignable, canEdit, details, coordinator, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const flash = FLASH[params.get("done") ?? ""];
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? {};
  const addressees = recipients.filter((r) => r.kind === "addressee");
  const copies = recipients.filter((r) => r.kind === "copy");
  const stale = recipients.filter((r) => r.stale);
  const addFailed = values.intent === "add";
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / <Link to="/countries">Countries</Link> / <Link to={`/countries/${c.code}`}>{c.name}</Link> / Recipients</p>
      <h1>Recipients in {c.name}</h1>
      {flash ? <p className="flash" role="status">{flash}</p> : null}
      {!c.isParty ? <p className="flash warn">{c.name} is not a state party today ({today}).</p> : null}
      {details ? null : (
        <p className="flash" role="note" data-testid="recipients-hidden">
          Names, email addresses and salutations are shown to coordinators and to the organisations that write to {c.name}. You see the roles, so you know whom a letter would reach.
        </p>
      )}
      <p className="toolbar">
        {details ? <Link to={`/countries/${c.code}/recipients/export`} reloadDocument>Export CSV</Link> : null}
        {canEdit ? <Link to={`/countries/${c.code}/recipients/import`}>Import CSV…</Link> : null}
        <Link to="/coverage">Coverage of all states parties</Link>
      </p>
      {stale.length ? (
        <div className="flash warn" role="status">
          {stale.length === 1
            ? "One entry has not been checked for six months; ministers change. Confirm it (or correct it) before the next letter."
            : `${stale.length} entries have not been checked for six months; ministers change. Confirm them (or correct them) before the next letter.`}
          {canEdit ? (
            <>{" "}<IntentButton intent="check-all" className="secondary">Mark all as checked today</IntentButton></>
          ) : null}
        </div>
      ) : null}

      <h2 id="addressees">Addressed to</h2>
      <RecipientTable list={addressees} code={c.code} canEdit={canEdit} empty="No addressee yet: a letter needs someone to address, such as the Foreign Minister." />
      <h2 id="copies">Copied to (CC)</h2>
      <RecipientTable list={copies} code={c.code} canEdit={canEdit} empty="Nobody is copied." />

      {canEdit ? (
        <>
          <h2 id="add">Add a recipient</h2>
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="intent" value="add" />
            <ErrorList errors={addFailed ? actionData?.formErrors : null} />
            <Field label="Name" errors={errors.name} inputProps={{ name: "name", defaultValue: values.name, required: true }} />
            <Field label="Title or role" hint="As the letter prints it: Foreign Minister of Norway, Minister of Justice, State Secretary, Director" errors={errors.title} inputProps={{ name: "title", defaultValue: values.title, required: true }} />
            <Field label="Institution" hint="Optional, e.g. Ministry of Foreign Affairs" errors={errors.institution} inputProps={{ name: "institution", defaultValue: values.institution }} />
            <Field label="Email" errors={errors.email} inputProps={{ name: "email", type: "email", defaultValue: values.email }} />
            <SelectField label="Addressed or copied" name="kind" defaultValue={values.kind ?? "addressee"} errors={errors.kind} options={[{ value: "addressee", label: "Addressed (address block and salutation)" }, { value: "copy", label: "Copied (CC list)" }]} />
            <Field label="Salutation" hint="Required for an addressee, e.g. Foreign Minister Espen Barth Eide," errors={errors.salutation} inputProps={{ name: "salutation", defaultValue: values.salutation }} />
            <Field label="Letter language" hint="A language tag: en for English, nb for Norwegian (bokmål), fr for French" errors={errors.language} inputProps={{ name: "language", defaultValue: values.language ?? "en", required: true }} />
            <Field label="Checked on" hint="The day someone confirmed this person holds this post" errors={errors.checked_on} inputProps={{ name: "checked_on", type: errors.checked_on ? "text" : "date", defaultValue: values.checked_on ?? today, required: true }} />
            <button type="submit">Add recipient</button>
          </Form>
        </>
      ) : (
        <p className="muted">Only coordinators and members of an organisation that covers {c.name} can change this list.</p>
      )}

      <h2 id="organisations">Organisations covering {c.name}</h2>
      {organisations.length === 0 ? <p className="empty">No organisation covers {c.name} yet.</p> : (
        <ul>
          {organisations.map((o) => (
            <li key={o.id}>
              <Link to={`/organisations/${o.id}`}>{o.name}</Link>{acronymToAdd(o.name, o.acronym) ? <span className="muted"> ({o.acronym})</span> : null}
              {coordinator ? (
                <>{" "}<IntentButton intent="unassign" fields={{ organisationId: o.id }} label={`Unassign ${o.name}`} className="link">Unassign</IntentButton></>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {coordinator ? (
        <Form method="post" className="toolbar" noValidate>
          <input type="hidden" name="intent" value="assign" />
          <SelectField label="Assign an organisation" name="organisationId" defaultValue="" errors={values.intent === "assign" ? errors.organisationId : undefined}
            options={[{ value: "", label: "Choose an organisation…" }, ...assignable.map((o) => ({ value: String(o.id), label: organisationLabel(o.name, o.acronym) }))]} />
          <button type="submit">Assign</button>
        </Form>
      ) : null}
    </section>
  );
}

const BADGE: Record<AddressState, string> = { ok: "", delivered: "ok", "soft-bouncing": "warn", bouncing: "bad" };

function AddressStatusCell({ r }: { r: Listed }) {
  const s = r.status;
  const reason = s && (s.state === "bouncing" || s.state === "soft-bouncing") ? s.diagnostic : null;
  const fallback = r.fallback ? `Falls back to ${r.fallback.name ? `${r.fallback.name}, ` : ""}${r.fallback.title}.` : null;
  return (
    <span data-address-status={s?.state ?? "none"}>
      {!s ? <span className="muted">no email</span> : <><span className={`badge ${BADGE[s.state]}`}>{s.state}</span> {addressStatusDetail(s)}</>}
      {reason ? <><br /><span className="muted">{`Reason given: ${reason}`}</span></> : null}
      {fallback ? <><br /><span className="muted">{fallback}</span></> : null}
    </span>
  );
}

function RecipientTable({ list, code, canEdit, empty }: { list: Listed[]; code: string; canEdit: boolean; empty: string }) {
  if (list.length === 0) return <p className="empty">{empty}</p>;
  return (
    <table>
      <thead>
        <tr><th>#</th><th>Name</th><th>Title</th><th>Institution</th><th>Email</th>{list[0].kind === "addressee" ? <th>Salutation</th> : null}<th>Language</th><th>Checked</th><th>Address status</th>{canEdit ? <th><span className="visually-hidden">Actions</span></th> : null}</tr>
      </thead>
      <tbody>
        {list.map((r, i) => (
          <tr key={r.id} data-stale={r.stale || undefined}>
            <td>{i + 1}</td>
            <td>{r.hidden ? <span className="muted">not shown</span> : r.name}</td>
            <td>{r.title}</td>
            <td>{r.institution ?? <span className="muted">—</span>}</td>
            <td>{r.hidden ? <span className="muted">not shown</span> : r.email ? <a href={`mailto:${r.email}`}>{r.email}</a> : <span className="badge bad">no email</span>}</td>
            {r.kind === "addressee" ? <td>{r.hidden ? <span className="muted">not shown</span> : r.salutation}</td> : null}
            <td><abbr title={r.languageName}>{r.language}</abbr></td>
            <td>
              {r.stale ? (
                <span className="badge bad">{`not checked since ${dayInWords(r.checked_on)}; ministers change`}</span>
              ) : (
                <>{dayInWords(r.checked_on)} <span className="muted">{`(check again by ${dayInWords(r.staleFrom)})`}</span></>
              )}
            </td>
            <td><AddressStatusCell r={r} /></td>
            {canEdit ? (
              <td>
                <div className="row-actions">
                  <Link to={`/countries/${code}/recipients/${r.id}`} aria-label={`Edit ${r.name}`}>Edit</Link>
                  <IntentButton intent="move" fields={{ recipientId: r.id, direction: "up" }} disabled={i === 0} label={`Move ${r.name} up`} className="secondary">↑ Up</IntentButton>
                  <IntentButton intent="move" fields={{ recipientId: r.id, direction: "down" }} disabled={i === list.length - 1} label={`Move ${r.name} down`} className="secondary">↓ Down</IntentButton>
                  <IntentButton intent="check" fields={{ recipientId: r.id }} label={`Mark ${r.name} as checked today`} className="secondary">Checked today</IntentButton>
                  <IntentButton intent="remove" fields={{ recipientId: r.id }} label={`Remove ${r.name}`} className="secondary">Remove</IntentButton>
                </div>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
