// GET /s/:slug: the public statement page. A resource route returning a complete
// document: the same bytes for every visitor, so they are rendered once per statement
// version and cached (app/workflows/statement-page.server.ts). server.ts serves cache
// hits before Remix is reached; this loader handles misses and 404s.
//
// No scripts (works without JavaScript, prints cleanly). React escapes all text; the
// Markdown is rendered with raw HTML disabled. Each name sits in <bdi>, so a
// right-to-left override inside one name cannot reorder its footnote mark or the
// names around it.
import { createHash } from "node:crypto";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { renderToStaticMarkup } from "react-dom/server";
import { isSigningOpen, type PublicStatement } from "~/models/public-statement.server";
import { getDb } from "~/platform/db.server";
import { renderInlineMarkdown, renderMarkdown } from "~/platform/markdown.server";
import { statementReply, toResponse, type Renderer } from "~/workflows/statement-page.server";
import { acronymToAdd } from "~/lib/organisation-name";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const reply = await statementReply(getDb(), params.slug ?? "", (name) => request.headers.get(name), PAGE);
  if (reply.status === 404) {
    return new Response("There is no statement at this address.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  }
  return toResponse(reply);
}

const STYLE = `.statement-page{max-width:48rem}.statement-meta{color:var(--muted)}.statement-updated{font-style:italic}
.statement-points li{margin:.4rem 0}.signing{margin:2rem 0;padding:1rem;border:1px solid var(--line);border-radius:6px;background:#fff}
.signing p{margin:.25rem 0}.signatory-list{list-style:none;padding:0;margin:.5rem 0}.signatory-list li{margin:.1rem 0;break-inside:avoid}
.footnotes{border-top:1px solid var(--line);margin-top:1rem;padding-top:.5rem;font-size:.92rem}.footnotes p{margin:.25rem 0}.fn-ref{text-decoration:none}
@media print{.no-print{display:none}body{background:#fff}.statement-page a{color:inherit;text-decoration:none}}`;
const STYLE_HASH = createHash("sha256").update(STYLE).digest("base64");

const PAGE: Renderer = {
  kind: "page",
  render: (statement, now) => `<!DOCTYPE html>${renderToStaticMarkup(<StatementDocument s={statement} now={now} />)}`,
  headers: {
    "Content-Security-Policy": `default-src 'none'; style-src 'self' 'sha256-${STYLE_HASH}'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
  },
};

function locale(language: string): string {
  // Plain "en" formats dates the American way; international statements, like the
  // CICC's, write "14 January 2025".
  if (language === "en") return "en-GB";
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([language]).length ? language : "en-GB";
  } catch {
    return "en-GB"; // not a valid language tag
  }
}

function direction(language: string): "rtl" | "ltr" {
  try {
    const info = (new Intl.Locale(language) as Intl.Locale & { textInfo?: { direction: string } }).textInfo;
    return info?.direction === "rtl" ? "rtl" : "ltr";
  } catch {
    return "ltr";
  }
}

/** A day (YYYY-MM-DD) or a moment (ISO, shown with its UTC time), as readers of `language` write it. */
function formatDate(value: string, language: string, withTime = false): string {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const at = Date.parse(day ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(at)) return value;
  const time = withTime && !day;
  return new Intl.DateTimeFormat(locale(language), { dateStyle: "long", timeZone: "UTC", ...(time ? { timeStyle: "short" } : {}) }).format(at) + (time ? " UTC" : "");
}

function Signing({ s, now }: { s: PublicStatement; now: number }) {
  if (isSigningOpen(s, now)) {
    return (
      <section className="signing no-print" aria-label="Sign-on">
        <p><a className="button" href={`/s/${s.slug}/sign`}>Sign this statement</a></p>
        {s.signingDeadline ? <p>Organisations can sign until {formatDate(s.signingDeadline, s.language, true)}.</p> : null}
      </section>
    );
  }
  const why =
    s.status === "published" && s.publishedAt ? `This statement was published on ${formatDate(s.publishedAt, s.language)}.`
    : s.status === "open" ? "The deadline for signatures has passed."
    : s.status === "closed" ? "The coordinators are finalising the list of signatories."
    : null;
  return (
    <section className="signing signing-closed" aria-label="Sign-on">
      <p><strong>Signing is closed.</strong> {why}</p>
    </section>
  );
}

function StatementDocument({ s, now }: { s: PublicStatement; now: number }) {
  const dir = direction(s.language);
  const footnoteIds = new Map(s.footnotes.map((f, i) => [f.mark, `fn-${i + 1}`]));
  const count = s.signatories.length;
  const counted = count === 0 ? "No organisation has signed this statement yet."
    : `${new Intl.NumberFormat(locale(s.language)).format(count)} ${count === 1 ? "organisation has" : "organisations have"} signed this statement.`;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${s.title} · Demarche`}</title>
        <link rel="stylesheet" href="/styles.css" />
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        <header className="site-header no-print">
          <a className="skip" href="#main">Skip to content</a>
          <a href="/" className="brand">Demarche</a>
        </header>
        <main id="main" className="statement-page">
          <article className="statement" lang={s.language} dir={dir}>
            <h1>{s.title}</h1>
            <p className="statement-meta">
              <time dateTime={s.date}>{formatDate(s.date, s.language)}</time>
              {s.author ? <> · Author: <bdi>{s.author.name}</bdi>{acronymToAdd(s.author.name, s.author.acronym) ? ` (${s.author.acronym})` : null}</> : null}
            </p>
            {s.textUpdatedAt ? <p className="statement-updated">Updated on <time dateTime={s.textUpdatedAt}>{formatDate(s.textUpdatedAt, s.language)}</time>.</p> : null}
            <div className="statement-body" dangerouslySetInnerHTML={{ __html: renderMarkdown(s.bodyMarkdown) }} />
            {s.points.length ? (
              <ol className="statement-points">
                {s.points.map((p, i) => <li key={i} dangerouslySetInnerHTML={{ __html: renderInlineMarkdown(p) }} />)}
              </ol>
            ) : null}
          </article>
          <Signing s={s} now={now} />
          <section className="signatories" aria-labelledby="signatories-heading">
            <h2 id="signatories-heading">Signatories</h2>
            <p className="signatory-count">{counted}</p>
            {/* No lead-in ("The undersigned:") above a list that is still empty. */}
            {count === 0 ? null : <div lang={s.language} dir={dir}>
              {s.leadIn ? <p className="lead-in">{s.leadIn}</p> : null}
              <ul className="signatory-list">
                {s.signatories.map((g) => (
                  <li key={g.id}>
                    <bdi>{g.name}</bdi>
                    {g.footnoteMark && footnoteIds.has(g.footnoteMark) ? <a className="fn-ref" href={`#${footnoteIds.get(g.footnoteMark)}`}>{g.footnoteMark}</a> : g.footnoteMark}
                  </li>
                ))}
              </ul>
              {s.footnotes.length ? (
                <div className="footnotes">
                  {s.footnotes.map((f) => (
                    <p key={f.mark} id={footnoteIds.get(f.mark)}>
                      <span className="fn-mark">{f.mark}</span> <span dangerouslySetInnerHTML={{ __html: renderInlineMarkdown(f.text) }} />
                    </p>
                  ))}
                </div>
              ) : null}
            </div>}
          </section>
          <p className="no-print"><a href="/">Back to the start page</a></p>
        </main>
      </body>
    </html>
  );
}
