// /received/:id: one message that came back, read as text (its HTML is never shown as
// HTML, so no remote image or script of the sender's reaches our page), with its
// attachments as downloads. Queued mail gets a coordinator's two choices: attach it to
// a (statement, state), where it becomes that state's reply, or discard it.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorList, Field, SelectField } from "~/components/forms";
import { timeInWords } from "~/lib/time-in-words";
import { changeContext } from "~/models/audit.server";
import { listCountries } from "~/models/country.server";
import { attachInbound, attachInboundSchema, discardInbound, discardInboundSchema, readInboundMessage } from "~/models/inbound/messages.server";
import { isCoordinator } from "~/models/permissions.server";
import { listStatements } from "~/models/statement.server";
import { getDb } from "~/platform/db.server";
import { clientIp } from "~/platform/session.server";
import { parseForm } from "~/schemas/form.server";
import { invalid } from "~/web/forms.server";
import { requireCoordinator, requireUser } from "~/web/guards.server";
import { answering, failure, tamperedForm } from "~/web/respond.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.message.subject || "Message"} · Mail received · Demarche` }];

const KIND: Record<string, string> = {
  reply: "a reply", "auto-reply": "an automatic answer (out of office or similar), not a reply", bounce: "a bounce", delivered: "a delivery report: delivered",
  delayed: "a delivery report: delayed", unmatched: "mail that matched no letter",
};

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response("There is no such message.", { status: 404 });
  const message = await readInboundMessage(db, user, id);
  const choices = message.waiting && isCoordinator(user)
    ? await Promise.all([listStatements(db), listCountries(db)]).then(([statements, countries]) => ({
        statements: statements.map((s) => ({ value: String(s.id), label: s.title })),
        countries: countries.map((c) => ({ value: c.code, label: c.name })),
      }))
    : null;
  return { message, choices, coordinator: isCoordinator(user) };
});

export const action = /* @__PURE__ */ answering(async ({ request, params }: ActionFunctionArgs) => {
  const db = getDb();
  const user = await requireCoordinator(request, db);
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response("There is no such message.", { status: 404 });
  const form = await request.formData();
  const ctx = changeContext(user, clientIp(request));
  const intent = form.get("intent");
  if (intent === "attach") {
    const parsed = parseForm(attachInboundSchema, form);
    if (!parsed.ok) return invalid(parsed, { intent: "attach" as const });
    try {
      const at = await attachInbound(db, user, ctx, id, parsed.data);
      return redirect(`/statements/${at.slug}/outreach/${at.countryCode}?done=attached#timeline`);
    } catch (error) {
      return failure(error, form, { keep: { intent: "attach" as const } });
    }
  }
  if (intent === "discard") {
    const parsed = parseForm(discardInboundSchema, form);
    if (!parsed.ok) return invalid(parsed, { intent: "discard" as const });
    try {
      await discardInbound(db, user, ctx, id, parsed.data.reason || undefined);
    } catch (error) {
      return failure(error, form, { keep: { intent: "discard" as const } });
    }
    return redirect("/received?done=discarded");
  }
  return tamperedForm();
});

const size = (bytes: number) => (bytes < 1024 ? `${bytes} bytes` : bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1048576).toFixed(1)} MB`);

export default function ReceivedMessage() {
  const { message: m, choices, coordinator } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failed = answer && "ok" in answer && !answer.ok ? answer : null;
  const attachAnswer = failed && "intent" in failed && failed.intent === "attach" ? failed : null;
  const discardAnswer = failed && "intent" in failed && failed.intent === "discard" ? failed : null;
  const statePage = m.statement_slug && m.country_code ? `/statements/${m.statement_slug}/outreach/${m.country_code}` : null;
  return (
    <section>
      <p className="breadcrumbs">
        <Link to="/">Home</Link> / {coordinator ? <Link to="/received">Mail received</Link> : "Mail received"} / Message
      </p>
      <h1><bdi>{m.subject || "(no subject)"}</bdi></h1>
      <dl className="facts">
        <dt>From</dt><dd><bdi>{m.from_name ? `${m.from_name} <${m.from_address ?? ""}>` : m.from_address ?? "(no sender)"}</bdi></dd>
        <dt>Date</dt><dd>{m.sent_at ? timeInWords(m.sent_at) : "(not given)"}; received {timeInWords(m.received_at)}</dd>
        <dt>What it is</dt><dd data-kind={m.kind}>{KIND[m.kind] ?? m.kind}{m.kind === "bounce" ? ` (${m.severity === "hard" ? "the address refused it" : "for now; the server retries"})` : ""}</dd>
        {m.status_code || m.diagnostic ? <><dt>Reason</dt><dd><bdi>{[m.status_code, m.diagnostic].filter(Boolean).join(" ")}</bdi></dd></> : null}
        {m.recipient ? <><dt>About the address</dt><dd><bdi>{m.recipient}</bdi></dd></> : null}
        {statePage ? <><dt>About</dt><dd><Link to={statePage}>{m.country_name ?? m.country_code}: {m.statement_title}</Link>{m.resolution === "attached" ? ` (attached by ${m.resolved_by_name ?? "a coordinator"})` : ""}</dd></> : null}
        {m.resolution === "discarded" ? <><dt>Discarded</dt><dd>by {m.resolved_by_name ?? "a coordinator"}, {m.resolved_at ? timeInWords(m.resolved_at) : ""}</dd></> : null}
        {m.message_id ? <><dt>Message-ID</dt><dd><code>{m.message_id}</code></dd></> : null}
      </dl>
      {m.raw_truncated ? <p className="flash warn">This message was larger than 2 MB: only its first 2 MB were kept, so an attachment may be missing.</p> : null}

      <h2>Text</h2>
      {m.text_body ? <pre className="letter-text wrap" dir="auto">{m.text_body}</pre> : <p className="muted">This message has no text.</p>}
      {m.attachments.length > 0 ? (
        <>
          <h2>Attachments</h2>
          <p className="muted">Downloaded as files, never opened here: they come from outside the coalition.</p>
          <ul>
            {m.attachments.map((a, i) => (
              <li key={i}><a href={`/received/${m.id}/attachments/${i}`} download><bdi>{a.filename}</bdi></a> <span className="muted">({a.contentType}, {size(a.size)})</span></li>
            ))}
          </ul>
        </>
      ) : null}

      {choices ? (
        <>
          <h2 id="attach">Attach to a state</h2>
          <p>Attached, it counts as that state's reply on the board, the map and the state's page.</p>
          <Form method="post" action="#attach" noValidate>
            <input type="hidden" name="intent" value="attach" />
            <ErrorList errors={attachAnswer?.formErrors} />
            <SelectField label="Statement" name="statementId" defaultValue={attachAnswer?.values.statementId ?? ""} errors={attachAnswer?.errors.statementId} options={[{ value: "", label: "Choose…" }, ...choices.statements]} />
            <SelectField label="State" name="countryCode" defaultValue={attachAnswer?.values.countryCode ?? ""} errors={attachAnswer?.errors.countryCode} options={[{ value: "", label: "Choose…" }, ...choices.countries]} />
            <button type="submit" disabled={busy}>Attach as this state's reply</button>
          </Form>
          <h2 id="discard">Discard</h2>
          <details open={!!discardAnswer}>
            <summary>Discard this message…</summary>
            <Form method="post" action="#discard">
              <input type="hidden" name="intent" value="discard" />
              <ErrorList errors={discardAnswer?.formErrors} />
              <Field label="Why (optional, kept in the audit log)" errors={discardAnswer?.errors.reason} inputProps={{ name: "reason", maxLength: 500, defaultValue: discardAnswer?.values.reason ?? "" }} />
              <p>It leaves the queue for good; the message stays stored and the audit log says who discarded it.</p>
              <button type="submit" className="danger" disabled={busy}>Discard</button>
            </Form>
          </details>
        </>
      ) : null}

      <p>{statePage ? <Link to={statePage}>Back to the state's page</Link> : coordinator ? <Link to="/received">Back to the mail received</Link> : <Link to="/">Back home</Link>}</p>
    </section>
  );
}
