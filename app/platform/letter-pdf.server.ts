// A cover letter as a PDF: A4, the sender's letterhead, the letter, then the joint
// statement as an appendix starting on a new page, "n / N" on every page, and DejaVu
// Sans embedded (shipped through npm: dejavu-fonts-ttf) so æøå, é, ç, ñ, ą ę ł ś ż ź ć ń
// print on a fresh machine.
//
// The words of the letter come from the templates, not from here: the body is
// renderLetter's text output with the letterhead and appendix partials blanked out
// (the same text the fidelity test checks, the same cleaning of hostile input). The
// letterhead and the appendix are laid out from the context, because they need
// typography (bold title, two columns of signatories); their few labels are below.
//
// Rendering takes ~tens of ms of CPU: call it from the worker pool
// (letter-pdf-pool.server.ts), never inside a web request.
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import PDFDocument from "pdfkit";
import type { LetterContext } from "./letter-document.server";
import { loadLetterTemplates, renderLetter } from "./letter-templates.server";
import { organisationLabel } from "~/lib/organisation-name";

/** The appendix's own words; the rest of the letter is in emails/letters/<language>/. */
export interface LetterPdfLabels {
  appendix: string;
  publishedBy: string;
  signatories: string;
}

const LABELS: Record<string, LetterPdfLabels> = {
  en: { appendix: "Appendix: the joint statement", publishedBy: "Published by", signatories: "Signatories" },
  nb: { appendix: "Vedlegg: felleserklæringen", publishedBy: "Utgitt av", signatories: "Undertegnere" },
};

export interface LetterPdfOptions {
  /** Template language; default: the context's. */
  language?: string;
  /** The template editor's overrides, as for renderLetter. */
  overrides?: Record<string, string>;
  labels?: Partial<LetterPdfLabels>;
}

// Resolved from the project root (process.cwd()), not import.meta.url: the server
// bundle runs from build/, workers from app/platform/.
let fonts: { regular: Buffer; bold: Buffer } | null = null;
export function letterPdfFonts() {
  if (!fonts) {
    const pkg = createRequire(path.resolve("package.json")).resolve("dejavu-fonts-ttf/package.json");
    const dir = path.join(path.dirname(pkg), "ttf");
    fonts = { regular: fs.readFileSync(path.join(dir, "DejaVuSans.ttf")), bold: fs.readFileSync(path.join(dir, "DejaVuSans-Bold.ttf")) };
  }
  return fonts;
}

const locales = new Map<string, string>();
function localeOf(language: string): string {
  let locale = locales.get(language);
  if (!locale) locales.set(language, (locale = loadLetterTemplates(language).locale));
  return locale;
}

// The same rule as the text templates: no control or bidi-override characters, and a
// single-line field cannot start a line of its own.
const CONTROLS = /[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\u202A-\u202E\u2066-\u2069]/g;
const BREAK = /\r\n|[\r\n\u000B\u000C\u0085\u2028\u2029]/g;
const line = (s: string | null | undefined) => (s ?? "").replace(CONTROLS, "").replace(BREAK, " ").replace(/\s+/g, " ").trim();
const lines = (s: string | null | undefined) => (s ?? "").replace(CONTROLS, "").replace(BREAK, "\n").trim();

const A4 = { margin: 62, bottom: 72 };
const GREY = "#555555";

export async function renderLetterPdf(context: LetterContext, options: LetterPdfOptions = {}): Promise<Buffer> {
  const language = options.language ?? context.language;
  const labels = { ...(LABELS[language] ?? LABELS.en), ...options.labels };
  const locale = localeOf(language);
  // Letterhead and appendix are typeset below; blank their text partials.
  const blanked = { ...options.overrides, "partials/letterhead.text.hbs": "", [`${language}/partials/appendix.text.hbs`]: "" };
  const letter = renderLetter(context, language, blanked);
  const { regular, bold } = letterPdfFonts();

  const doc = new PDFDocument({
    size: "A4",
    margins: { top: A4.margin, left: A4.margin, right: A4.margin, bottom: A4.bottom },
    bufferPages: true,
    font: regular as unknown as string, // pdfkit accepts a Buffer; skips loading Helvetica
    lang: locale,
    info: { Title: letter.subject, Author: line(context.sender.name), Creator: "Demarche", Producer: "Demarche (pdfkit)" },
  });
  doc.registerFont("Body", regular);
  doc.registerFont("Bold", bold);
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const width = doc.page.width - A4.margin * 2;

  // ---- Letterhead
  const s = context.sender;
  doc.font("Bold").fontSize(14).text(line(organisationLabel(s.name, s.acronym)), { width });
  const address = s.postalAddress ? lines(s.postalAddress) : line(s.city);
  const contact = [line(s.website), line(s.email)].filter(Boolean).join("  ·  ");
  doc.font("Body").fontSize(9).fillColor(GREY);
  if (address) doc.text(address, { width });
  if (contact) doc.text(contact, { width });
  doc.fillColor("black").moveDown(0.4);
  doc.moveTo(A4.margin, doc.y).lineTo(A4.margin + width, doc.y).lineWidth(0.5).strokeColor("#999999").stroke();
  doc.moveDown(1.5);

  // ---- The letter, paragraph by paragraph as the text template wrote it.
  const subjectLine = (l: string) => l.endsWith(letter.subject) && l.length < letter.subject.length + 12;
  doc.fontSize(10.5);
  for (const paragraph of letter.text.trim().split(/\n{2,}/)) {
    const ls = paragraph.split("\n");
    doc.font(ls.length === 1 && subjectLine(ls[0]) ? "Bold" : "Body").text(paragraph, { width, lineGap: 1.5 });
    doc.moveDown(0.7);
  }

  // ---- The appendix: the statement as published, on a page of its own.
  const st = context.statement;
  doc.addPage();
  doc.font("Body").fontSize(9).fillColor(GREY).text(labels.appendix.toUpperCase(), { width, characterSpacing: 0.5 });
  doc.fillColor("black").moveDown(0.6);
  doc.font("Bold").fontSize(15).text(line(st.title), { width });
  doc.moveDown(0.3);
  const date = new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${st.date}T00:00:00Z`));
  doc.font("Body").fontSize(9.5).fillColor(GREY).text(date, { width });
  if (st.author) doc.text(`${labels.publishedBy}: ${line(organisationLabel(st.author.name, st.author.acronym))}`, { width });
  doc.fillColor("black").fontSize(10).moveDown(0.8);
  for (const paragraph of lines(st.bodyText).split(/\n{2,}/)) doc.text(paragraph, { width, lineGap: 1.5 }).moveDown(0.6);
  for (const demand of context.demands) doc.text(`•  ${line(demand.text)}`, { width, indent: 0, lineGap: 1.5 }).moveDown(0.3);
  doc.moveDown(0.8);
  doc.font("Bold").fontSize(11).text(`${labels.signatories} (${st.signatories.length})`, { width });
  doc.font("Body").fontSize(10).moveDown(0.3);
  if (st.leadIn) doc.text(line(st.leadIn), { width }).moveDown(0.5);
  const names = st.signatories.map((x) => line(x.name) + line(x.footnoteMark));
  doc.fontSize(9).text(names.join("\n"), { width, columns: 2, columnGap: 18, lineGap: 0.5, paragraphGap: 2.5 });
  if (st.footnotes.length) {
    doc.moveDown(0.8).fontSize(8.5).fillColor(GREY);
    for (const f of st.footnotes) doc.text(`${line(f.mark)} ${line(f.text)}`, A4.margin, doc.y, { width });
    doc.fillColor("black");
  }

  // ---- "n / N" on every page, written into the bottom margin.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // else writing below the margin starts a new page
    doc.font("Body").fontSize(8.5).fillColor(GREY).text(`${i + 1} / ${range.count}`, A4.margin, doc.page.height - 40, { width, align: "center", lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
