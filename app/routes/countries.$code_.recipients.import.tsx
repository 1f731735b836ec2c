// Import a country's recipients from CSV: upload a file or paste its text, see what
// each row would become, then confirm. The preview writes nothing; the confirmation
// posts the same text again (a hidden field) and the model classifies it afresh
// inside the transaction that writes it (docs/decisions/0005; the rules of
// the recipient import are in app/models/recipient-import.server.ts).
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { ErrorList } from "~/components/forms";
import { todayUtc } from "~/models/country.server";
import { changeContext } from "~/models/audit.server";
import {
  commitRecipientImport,
  decodeUpload,
  IMPORT_MAX_LABEL,
  previewRecipientImport,
  RECIPIENT_CSV_COLUMNS,
  RECIPIENT_IMPORT_MAX_ROWS,
  readRecipientImportRequest,
  type ImportMode,
  type PreviewRow,
  type RecipientImportPreview,
} from "~/models/recipient-import.server";
import { editableCountryOr403 } from "~/models/recipient.server";
import { getDb } from "~/platform/db.server";
import { clientIp } from "~/platform/session.server";
import { requireUser } from "~/web/guards.server";
import { answering } from "~/web/respond.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Import recipients · ${data?.country.name ?? "Country"} · Demarche` }];

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const country = await editableCountryOr403(db, user, params.code);
  // The limits travel as data: values of a .server module do not exist in the browser.
  return {
    country: { code: country.code, name: country.name },
    limits: { columns: RECIPIENT_CSV_COLUMNS.join(", "), rows: RECIPIENT_IMPORT_MAX_ROWS.toLocaleString("en"), size: IMPORT_MAX_LABEL },
  };
});

type Failure = { ok: false; message: string; mode: string; text: string };
const failure = (status: number, message: string, mode = "add", text = "") => data<Failure>({ ok: false, message, mode, text }, { status });

export const action = /* @__PURE__ */ answering(async ({ request, params }: ActionFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const country = await editableCountryOr403(db, user, params.code);
  const read = await readRecipientImportRequest(request);
  if (!read.ok) return failure(read.status, read.message, read.values.mode, read.values.text);
  const { intent, mode } = read.data;
  let text = read.data.text;
  if (read.file) {
    const decoded = decodeUpload(new Uint8Array(await read.file.arrayBuffer()));
    if (!decoded.ok) return failure(400, decoded.message, mode);
    text = decoded.text;
  }
  if (!text.trim()) return failure(400, "Choose a CSV file to upload, or paste its text.", mode);
  const today = todayUtc();

  if (intent === "preview") {
    const result = await previewRecipientImport(db, country.code, mode, text, today);
    if (!result.ok) return failure(400, result.message, mode, text);
    return { ok: true as const, preview: result.preview, text };
  }
  const outcome = await commitRecipientImport(db, changeContext(user, clientIp(request)), country.code, mode, text, today);
  if (!outcome.ok) return failure(400, outcome.message, mode, text);
  const counts = { added: String(outcome.added), skipped: String(outcome.skipped), removed: String(outcome.removed) };
  return redirect(`/countries/${country.code}/recipients/import?${new URLSearchParams(counts)}`);
});

const n = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString("en")} ${count === 1 ? one : many}`;

export default function ImportRecipients() {
  const { country: c, limits } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const added = params.get("added");
  const failed = result && !result.ok ? result : null;
  const text = failed ? failed.text : result?.ok ? result.text : "";
  const mode = (failed?.mode ?? (result?.ok ? result.preview.mode : "add")) as ImportMode;
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / <Link to="/countries">Countries</Link> / <Link to={`/countries/${c.code}`}>{c.name}</Link> / <Link to={`/countries/${c.code}/recipients`}>Recipients</Link> / Import</p>
      <h1>Import recipients for {c.name}</h1>
      {added !== null ? (
        <p className="flash" role="status">
          {`${n(Number(added), "recipient")} added, ${n(Number(params.get("skipped") ?? 0), "row")} skipped, ${n(Number(params.get("removed") ?? 0), "earlier entry", "earlier entries")} removed.`}{" "}
          <Link to={`/countries/${c.code}/recipients`}>See the list</Link>
        </p>
      ) : null}
      <ErrorList errors={failed ? [failed.message] : null} />
      {result?.ok ? <Preview preview={result.preview} text={result.text} busy={busy} /> : null}

      <p className="muted">
        The first line names the columns: {limits.columns}. Required: name, title, language (en, nb, fr…), kind (addressee or copy) and checked_on
        (YYYY-MM-DD, the day the entry was last confirmed). Position orders entries within their kind. An addressee needs a salutation. At most {limits.rows} rows
        and {limits.size}. UTF-8, separated by commas or semicolons, as Excel's “CSV UTF-8” writes it. <Link to={`/countries/${c.code}/recipients/export`} reloadDocument>Export the current list</Link> to start from it.
      </p>

      <Form method="post" encType="multipart/form-data" className="stack" noValidate key={added ?? "import"}>
        <input type="hidden" name="intent" value="preview" />
        <ModeChoice mode={mode} />
        <div className="field">
          <label htmlFor="import-file">CSV file</label>
          <input id="import-file" type="file" name="file" accept=".csv,text/csv" />
        </div>
        <div className="field">
          <label htmlFor="import-text">…or paste the CSV text</label>
          <textarea id="import-text" name="text" rows={8} defaultValue={text} />
        </div>
        <button type="submit" disabled={busy}>Preview</button>
      </Form>
    </section>
  );
}

function ModeChoice({ mode }: { mode: ImportMode }) {
  return (
    <fieldset className="field">
      <legend>What the file does</legend>
      <label><input type="radio" name="mode" value="add" defaultChecked={mode === "add"} /> Add its people to the list (people already on it are skipped)</label>
      <label><input type="radio" name="mode" value="replace" defaultChecked={mode === "replace"} /> Replace the whole list with the file</label>
    </fieldset>
  );
}

const RESULT_LABEL: Record<PreviewRow["result"], [string, string]> = {
  new: ["New", "badge ok"],
  duplicate: ["Duplicate", "badge"],
  invalid: ["Invalid", "badge bad"],
};

function Preview({ preview, text, busy }: { preview: RecipientImportPreview; text: string; busy: boolean }) {
  const { counts, rows, removed, blocked } = preview;
  return (
    <div>
      <h2>Preview: nothing has been written yet</h2>
      <p role="status">
        {`${n(counts.new, "new recipient")}, ${n(counts.duplicate, "duplicate")}, ${n(counts.invalid, "invalid row")}.`}
        {preview.mode === "replace" ? ` Replacing the list removes ${n(removed.length, "current entry", "current entries")}${removed.length ? `: ${removed.map((r) => `${r.name} (${r.title})`).join("; ")}` : ""}.` : null}
      </p>
      {blocked ? (
        <p className="empty">{blocked}</p>
      ) : counts.new > 0 ? (
        <Form method="post" className="toolbar">
          <input type="hidden" name="intent" value="confirm" />
          <input type="hidden" name="mode" value={preview.mode} />
          <textarea name="text" defaultValue={text} hidden readOnly aria-hidden="true" tabIndex={-1} />
          <button type="submit" disabled={busy}>{preview.mode === "replace" ? `Replace the list with ${n(counts.new, "recipient")}` : `Add ${n(counts.new, "recipient")}`}</button>
        </Form>
      ) : (
        <p className="empty">Nothing here is new: there is nothing to add.</p>
      )}
      <table>
        <thead><tr><th>Line</th><th>Name</th><th>Title</th><th>Institution</th><th>Email</th><th>Salutation</th><th>Language</th><th>Kind</th><th>Position</th><th>Checked on</th><th>Result</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.line}>
              <td>{r.line}</td>
              <td>{r.name}</td>
              <td>{r.title}</td>
              <td>{r.institution}</td>
              <td>{r.email}</td>
              <td>{r.salutation}</td>
              <td>{r.language}</td>
              <td>{r.kind}</td>
              <td>{r.position}</td>
              <td>{r.checkedOn}{r.stale ? <> <span className="badge bad">over six months old</span></> : null}</td>
              <td>
                <span className={RESULT_LABEL[r.result][1]}>{RESULT_LABEL[r.result][0]}</span>
                {r.reasons.length ? <ul className={r.result === "invalid" ? "errors" : undefined}>{r.reasons.map((why) => <li key={why}>{why}</li>)}</ul> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
