// Import signatories: paste a published list or upload a CSV file, see what each row
// would become, then confirm. The preview writes nothing; the confirmation posts the
// same text again (a hidden field) and the model classifies it afresh before writing.
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { ErrorList } from "~/components/forms";
import { changeContext } from "~/models/audit.server";
import { commitImport, CSV_COLUMNS, decodeUpload, IMPORT_MAX_LABEL, IMPORT_MAX_ROWS, previewImport, readImportRequest, type ImportPreview, type PreviewRow } from "~/models/signatory-import.server";
import { requireStatement, statementParts } from "~/models/statement.server";
import { getDb } from "~/platform/db.server";
import { clientIp } from "~/platform/session.server";
import { requireCoordinator } from "~/web/guards.server";
import { answering } from "~/web/respond.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Import · ${data?.statement.title ?? "Statement"} · Demarche` }];

export const loader = /* @__PURE__ */ answering(async ({ request, params }: LoaderFunctionArgs) => {
  const db = getDb();
  await requireCoordinator(request, db);
  const statement = await requireStatement(db, params.slug);
  const { footnotes } = await statementParts(db, statement);
  // The limits travel as data: values of a .server module do not exist in the browser.
  return {
    statement: { slug: statement.slug, title: statement.title, leadIn: statement.lead_in },
    footnotes,
    limits: { columns: CSV_COLUMNS.join(", "), rows: IMPORT_MAX_ROWS.toLocaleString("en"), size: IMPORT_MAX_LABEL },
  };
});

type Failure = { ok: false; message: string; source: string; text: string };
const failure = (status: number, message: string, source = "paste", text = "") => data<Failure>({ ok: false, message, source, text }, { status });

export const action = /* @__PURE__ */ answering(async ({ request, params }: ActionFunctionArgs) => {
  const db = getDb();
  const user = await requireCoordinator(request, db);
  const statement = await requireStatement(db, params.slug);
  const read = await readImportRequest(request);
  if (!read.ok) return failure(read.status, read.message, read.values.source, read.values.source === "paste" ? read.values.text : "");
  const { intent, source } = read.data;
  let text = read.data.text;
  if (source === "csv" && read.file) {
    const decoded = decodeUpload(new Uint8Array(await read.file.arrayBuffer()));
    if (!decoded.ok) return failure(400, decoded.message, source);
    text = decoded.text;
  }
  if (source === "csv" && !text) return failure(400, "Choose a CSV file to upload.", source);

  if (intent === "preview") {
    const result = await previewImport(db, statement, source, text);
    if (!result.ok) return failure(400, result.message, source, source === "paste" ? text : "");
    return { ok: true as const, preview: result.preview, text };
  }
  const outcome = await commitImport(db, changeContext(user, clientIp(request)), statement.id, source, text);
  if (!outcome.ok) return failure(400, outcome.message, source, source === "paste" ? text : "");
  return redirect(`/statements/${statement.slug}/import?${new URLSearchParams({ added: String(outcome.added), skipped: String(outcome.skipped) })}`);
});

const n = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString("en")} ${count === 1 ? one : many}`;

export default function ImportPage() {
  const { statement: s, footnotes, limits } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const added = params.get("added");
  const failed = result && !result.ok ? result : null;
  const pasted = failed?.source === "paste" ? failed.text : result?.ok && result.preview.source === "paste" ? result.text : "";
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / <Link to="/statements">Statements</Link> / <Link to={`/statements/${s.slug}`}>{s.title}</Link> / Import</p>
      <h1>Import signatories</h1>
      {added !== null ? (
        <p className="flash" role="status">{`${n(Number(added), "signatory", "signatories")} added, ${Number(params.get("skipped") ?? 0).toLocaleString("en")} skipped.`} <Link to={`/statements/${s.slug}/export`}>Export the list</Link></p>
      ) : null}
      <ErrorList errors={failed ? [failed.message] : null} />
      {result?.ok ? <Preview preview={result.preview} text={result.text} busy={busy} /> : null}

      <p className="muted">
        Imported organisations are added as approved signatories at once, with no email to them. Rows already on this statement, whatever their status, are skipped.
        At most {limits.rows} rows and {limits.size} at a time. {footnotes.length ? <>This statement's footnote marks: {footnotes.map((f) => f.mark).join(" ")}.</> : <>This statement has no footnotes; add them on the edit page before importing names that carry a mark.</>}
      </p>

      <h2>Paste a list</h2>
      {/* Keyed by the result, so the field empties once its list has been imported. */}
      <Form method="post" className="stack" noValidate key={added ?? "paste"}>
        <input type="hidden" name="intent" value="preview" />
        <input type="hidden" name="source" value="paste" />
        <div className="field">
          <label htmlFor="import-text">Organisations, one per line</label>
          <div id="import-text-hint" className="hint">As published: “- ” or “• ” bullets and blank lines are fine; a mark after a name (Name*) attaches that footnote; “(ACRONYM)” at the end fills the acronym. {s.leadIn ? "The lead-in line and footnote texts are recognised and left out." : null}</div>
          <textarea id="import-text" name="text" rows={12} defaultValue={pasted} aria-describedby="import-text-hint" />
        </div>
        <button type="submit" disabled={busy}>Preview</button>
      </Form>

      <h2>Upload a CSV file</h2>
      <Form method="post" encType="multipart/form-data" className="stack" noValidate>
        <input type="hidden" name="intent" value="preview" />
        <input type="hidden" name="source" value="csv" />
        <div className="field">
          <label htmlFor="import-file">CSV file</label>
          <div id="import-file-hint" className="hint">
            The first line names the columns: {limits.columns} (only name is required). Country is a two-letter ISO code (NO, KE, PH);
            footnote is one of the statement's marks. UTF-8, separated by commas or semicolons, as Excel's “CSV UTF-8” writes it.
          </div>
          <input id="import-file" type="file" name="file" accept=".csv,text/csv" aria-describedby="import-file-hint" />
        </div>
        <button type="submit" disabled={busy}>Preview</button>
      </Form>
    </section>
  );
}

const KIND_LABEL: Record<PreviewRow["kind"], [string, string]> = {
  new: ["New", "badge ok"],
  duplicate: ["Duplicate", "badge"],
  invalid: ["Invalid", "badge bad"],
  ignored: ["Left out", "badge"],
};

function Preview({ preview, text, busy }: { preview: ImportPreview; text: string; busy: boolean }) {
  const { counts, rows } = preview;
  const skipped = counts.duplicate + counts.invalid + counts.ignored;
  return (
    <div>
      <h2>Preview: nothing has been written yet</h2>
      <p role="status">
        {`${n(counts.new, "new signatory", "new signatories")}, ${n(counts.duplicate, "duplicate")}, ${n(counts.invalid, "invalid row")}${counts.ignored ? `, ${n(counts.ignored, "line")} left out` : ""}.`}
      </p>
      {counts.new > 0 ? (
        <Form method="post" className="toolbar">
          <input type="hidden" name="intent" value="confirm" />
          <input type="hidden" name="source" value={preview.source} />
          <textarea name="text" defaultValue={text} hidden readOnly aria-hidden="true" tabIndex={-1} />
          <button type="submit" disabled={busy}>{`Add ${n(counts.new, "signatory", "signatories")} as approved`}</button>
          {skipped ? <span className="muted">{`${n(skipped, "row")} will be skipped.`}</span> : null}
        </Form>
      ) : (
        <p className="empty">Nothing here is new: there is nothing to add.</p>
      )}
      <table>
        <thead><tr><th>Line</th><th>Name</th><th>Acronym</th><th>Country</th><th>Email</th><th>Footnote</th><th>Result</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.line}>
              <td>{r.line}</td>
              <td>{r.name}</td>
              <td>{r.acronym}</td>
              <td>{r.country}</td>
              <td>{r.email}</td>
              <td>{r.footnoteMark}</td>
              <td>
                <span className={KIND_LABEL[r.kind][1]}>{KIND_LABEL[r.kind][0]}</span>
                {r.reasons.length ? <ul className={r.kind === "invalid" ? "errors" : undefined}>{r.reasons.map((why) => <li key={why}>{why}</li>)}</ul> : null}
                {r.warnings.length ? <ul className="muted">{r.warnings.map((w) => <li key={w}>Check: {w}</li>)}</ul> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
