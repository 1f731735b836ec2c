// Cover letters: emails/letters/<language>/ holds the letter (HTML and text), its
// subject and the email that carries it; partials are shared (emails/letters/partials/)
// or per language (<language>/partials/, which win). A language is a folder: nothing
// here names one. renderLetter is pure: a LetterContext in, strings out.
//
// Strictness goes beyond Handlebars' strict mode, because a letter to a minister must
// never go out with a blank: helper arguments ({{#if x}}, {{formatDate x}}) are looked
// up strictly too, unknown helpers and partials are refused when compiling, and in HTML
// only the Markdown-rendered fields (`html`, `bodyHtml`) may be printed unescaped.
// Every error names the template file and, where there is one, the line.
import fs from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import { cleanLetterContext, type LetterContext } from "./letter-document.server";
import { asTemplateError, compileTemplate, LetterTemplateError, type Render, singleLine, tidyText } from "./handlebars.server";

export { LetterTemplateError };

/** The files every language folder must have; `email-subject.hbs` is optional (default: the letter's subject). */
export const LETTER_TEMPLATE_FILES = ["subject.hbs", "cover-letter.html.hbs", "cover-letter.text.hbs", "email.html.hbs", "email.text.hbs"] as const;
const OPTIONAL_FILES = ["email-subject.hbs"];

export interface RenderedLetter {
  subject: string;
  html: string;
  text: string;
  emailSubject: string;
  emailHtml: string;
  emailText: string;
}

type Side = "html" | "text";
interface Source { source: string; label: string }

export interface LetterTemplates {
  language: string;
  /** The Intl locale from <language>/language.json ("en-GB"), else the folder name. */
  locale: string;
  subject: Render;
  emailSubject: Render | null;
  html: Render;
  text: Render;
  emailHtml: Render;
  emailText: Render;
}

const LANGUAGE = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;
const PARTIAL_FILE = /^([a-z0-9][a-z0-9-]*)(?:\.(html|text))?\.hbs$/;
const TRUSTED_HTML = new Set(["html", "this.html", "bodyHtml", "statement.bodyHtml"]);
const defaultDir = () => path.resolve("emails", "letters");
const label = (file: string) => path.relative(process.cwd(), file) || file;

/** The languages with a folder of letter templates, e.g. ["en", "nb"]. */
export function availableLetterLanguages(dir = defaultDir()): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && LANGUAGE.test(e.name)).map((e) => e.name).sort();
}

// ---- Helpers: every one reads the letter's locale from @data, set by the renderer.

const formatters = new Map<string, Intl.DateTimeFormat | Intl.ListFormat | Intl.DisplayNames>();
function cached<T extends Intl.DateTimeFormat | Intl.ListFormat | Intl.DisplayNames>(key: string, make: () => T): T {
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = make()));
  return f as T;
}

function formatDate(value: unknown, locale: string): string {
  const day = typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  if (!day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value) {
    throw new Error(`expects a date written YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return cached(`date:${locale}`, () => new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" })).format(day);
}

type HelperOptions = Handlebars.HelperOptions & { loc?: { start: { line: number } }; data: { root: LetterContext; locale: string } };

function registerHelpers(hbs: typeof Handlebars): void {
  const helper = (name: string, arity: number[], fn: (args: unknown[], o: HelperOptions) => unknown) =>
    hbs.registerHelper(name, function (...all: unknown[]) {
      const options = all.pop() as HelperOptions;
      try {
        if (!arity.includes(all.length)) throw new Error(`takes ${arity.join(" or ")} argument(s), got ${all.length}`);
        return fn(all, options);
      } catch (error) {
        throw Object.assign(new Error(`{{${name}}} ${(error as Error).message}`), { lineNumber: options.loc?.start.line });
      }
    });
  const root = (o: HelperOptions) => o.data.root;

  helper("eq", [2], ([a, b]) => a === b);
  helper("formatDate", [1], ([date], o) => formatDate(date, o.data.locale));
  helper("list", [1, 2], ([items, key], o) => {
    if (!Array.isArray(items)) throw new Error("expects a list");
    const values = items.map((item) => {
      if (key === undefined) return String(item);
      if (!item || typeof item !== "object" || !(String(key) in item)) throw new Error(`an item has no "${key}"`);
      return String((item as Record<string, unknown>)[String(key)]);
    });
    return cached(`list:${o.data.locale}`, () => new Intl.ListFormat(o.data.locale, { style: "long", type: "conjunction" })).format(values);
  });
  // From statesPartiesOn for the letter's own date, by way of the context.
  helper("statesParties", [0], (_, o) => root(o).statesPartiesOnDate);
  helper("otherStatesParties", [0], (_, o) => root(o).statesPartiesOnDate - (root(o).country.isPartyOnDate ? 1 : 0));
  helper("depositDate", [0], (_, o) => {
    if (!root(o).country.deposited) throw new Error(`${root(o).country.name} has deposited no instrument: check {{#if country.deposited}} first`);
    return formatDate(root(o).country.deposited, o.data.locale);
  });
  // The dataset's names are English; other languages take the country's name from Intl.
  helper("countryName", [0], (_, o) => {
    const { code, name } = root(o).country;
    if (new Intl.Locale(o.data.locale).language === "en") return name;
    return cached(`region:${o.data.locale}`, () => new Intl.DisplayNames(o.data.locale, { type: "region", fallback: "none" })).of(code) ?? name;
  });
}

// ---- Compiling

type AstNode = { type?: string; loc?: { start: { line: number } }; [key: string]: unknown };

/** Refuses what would fail, or print unescaped, only at render time; marks helper arguments strict. */
function inspect(ast: hbs.AST.Program, env: typeof Handlebars, side: Side, partials: Set<string>): void {
  const fail = (node: AstNode, reason: string): never => {
    throw Object.assign(new Error(reason), { lineNumber: node.loc?.start.line });
  };
  const inline = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== "object") return;
    const n = node as AstNode;
    const path = n.path as AstNode & { original?: string };
    const params = (n.params as AstNode[] | undefined) ?? [];
    const hash = (n.hash as { pairs: { value: AstNode }[] } | undefined)?.pairs.map((p) => p.value) ?? [];
    if (n.type === "DecoratorBlock" && path?.original === "inline") inline.add(String(params[0]?.value));
    if (n.type === "PartialStatement" || n.type === "PartialBlockStatement") {
      const name = n.name as AstNode & { original?: string; value?: string };
      if (name.type === "SubExpression") fail(n, "a partial's name must be written out, so it can be checked before rendering");
      const partial = String(name.original ?? name.value);
      if (partial !== "@partial-block" && !partials.has(partial) && !inline.has(partial)) fail(n, `the partial "${partial}" does not exist`);
    }
    if ((n.type === "MustacheStatement" || n.type === "BlockStatement" || n.type === "SubExpression") && (params.length || hash.length)) {
      if (path.type === "PathExpression" && !env.helpers[String(path.original)]) fail(n, `there is no helper "${path.original}"`);
    }
    if (side === "html" && n.type === "MustacheStatement" && n.escaped === false && !(TRUSTED_HTML.has(String(path.original)) && !params.length)) {
      fail(n, `{{{${path.original}}}} would print unescaped HTML; only ${[...TRUSTED_HTML].join(", ")} may`);
    }
    if (n.type === "Program" && (n.blockParams as string[] | undefined)?.some((p) => TRUSTED_HTML.has(p))) fail(n, "a block parameter may not be named html or bodyHtml");
    // Handlebars' strict mode checks {{x}} but not {{#if x}} or {{formatDate x}}; this flag
    // is what makes its compiler check a path, so argument typos fail like any other.
    for (const arg of [...params, ...hash]) if (arg.type === "PathExpression") arg.strict = true;
    for (const [key, value] of Object.entries(n)) if (key !== "loc") visit(value);
  };
  visit(ast);
}

function compile(hbs: typeof Handlebars, { source, label: file }: Source, side: Side, partials: Set<string>): Render {
  return compileTemplate(source, file, { escape: side === "html", env: hbs, inspect: (ast) => inspect(ast, hbs, side, partials), errorClass: LetterTemplateError });
}

function read(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new LetterTemplateError(label(file), undefined, `cannot read the file (${(error as Error).message})`);
  }
}

function readLocale(dir: string, language: string): string {
  const file = path.join(dir, language, "language.json");
  if (!fs.existsSync(file)) return language;
  let locale: unknown;
  try {
    locale = (JSON.parse(read(file)) as { locale?: unknown }).locale ?? language;
  } catch (error) {
    throw asTemplateError(label(file), error, LetterTemplateError);
  }
  if (typeof locale !== "string" || !Intl.DateTimeFormat.supportedLocalesOf([locale]).length) {
    throw new LetterTemplateError(label(file), undefined, `"locale" must be a locale this server knows, got ${JSON.stringify(locale)}`);
  }
  return locale;
}

/** Reads and compiles one language's templates, with the editor's `overrides` (path under emails/letters -> source) in place of the files. */
export function loadLetterTemplates(language: string, overrides: Record<string, string> = {}, dir = defaultDir()): LetterTemplates {
  const available = availableLetterLanguages(dir);
  if (!LANGUAGE.test(language) || !available.includes(language)) {
    throw new LetterTemplateError(label(path.join(dir, LANGUAGE.test(language) ? language : "")), undefined,
      `there are no letter templates for the language ${JSON.stringify(language)} (available: ${available.join(", ") || "none"})`);
  }
  const sources = new Map<string, Source>(); // key: path under dir, "en/subject.hbs"
  const add = (key: string) => sources.set(key, { source: read(path.join(dir, key)), label: label(path.join(dir, key)) });
  for (const key of [...LETTER_TEMPLATE_FILES, ...OPTIONAL_FILES]) if (fs.existsSync(path.join(dir, language, key))) add(`${language}/${key}`);
  for (const folder of ["partials", `${language}/partials`]) {
    if (fs.existsSync(path.join(dir, folder))) for (const f of fs.readdirSync(path.join(dir, folder)).sort()) if (PARTIAL_FILE.test(f)) add(`${folder}/${f}`);
  }
  for (const [key, source] of Object.entries(overrides)) {
    const [lang, ...rest] = key.split("/");
    const file = rest.join("/");
    const known = lang === "partials" ? PARTIAL_FILE.test(file) : LANGUAGE.test(lang) && ([...LETTER_TEMPLATE_FILES, ...OPTIONAL_FILES].includes(file) || (rest[0] === "partials" && rest.length === 2 && PARTIAL_FILE.test(rest[1])));
    if (!known) throw new LetterTemplateError(key, undefined, "is not the path of a letter template");
    if (lang === language || lang === "partials") sources.set(key, { source, label: `${label(path.join(dir, key))} (edited)` });
  }
  for (const file of LETTER_TEMPLATE_FILES) {
    if (!sources.has(`${language}/${file}`)) throw new LetterTemplateError(label(path.join(dir, language, file)), undefined, "is missing");
  }

  // One environment per side: a partial compiles with its caller's escaping.
  const envs = { html: Handlebars.create(), text: Handlebars.create() };
  registerHelpers(envs.html);
  registerHelpers(envs.text);
  const partials = { html: new Map<string, Source>(), text: new Map<string, Source>() };
  // Shared partials first, the language's own after: same name, the language wins.
  const partialKeys = [...sources.keys()].filter((k) => k.startsWith("partials/")).concat([...sources.keys()].filter((k) => k.startsWith(`${language}/partials/`)));
  for (const key of partialKeys) {
    const [, name, only] = PARTIAL_FILE.exec(key.split("/").pop()!)!;
    if (only !== "text") partials.html.set(name, sources.get(key)!);
    if (only !== "html") partials.text.set(name, sources.get(key)!);
  }
  for (const side of ["html", "text"] as const) {
    const names = new Set(partials[side].keys());
    // The source's final newline would land inside the sentence that includes the partial.
    for (const [name, src] of partials[side]) envs[side].registerPartial(name, compile(envs[side], { ...src, source: src.source.replace(/\r?\n$/, "") }, side, names));
  }
  const names = (side: Side) => new Set(partials[side].keys());
  const get = (file: string, side: Side) => compile(envs[side], sources.get(`${language}/${file}`)!, side, names(side));
  const emailSubject = sources.has(`${language}/email-subject.hbs`) ? get("email-subject.hbs", "text") : null;
  return {
    language,
    locale: readLocale(dir, language),
    subject: get("subject.hbs", "text"),
    emailSubject,
    html: get("cover-letter.html.hbs", "html"),
    text: get("cover-letter.text.hbs", "text"),
    emailHtml: get("email.html.hbs", "html"),
    emailText: get("email.text.hbs", "text"),
  };
}

// ---- Rendering

const compiled = new Map<string, LetterTemplates>();

/** Forgets compiled templates (after editing emails/letters in development, or in tests). */
export function clearLetterTemplateCache(): void {
  compiled.clear();
}

export function renderLetter(context: LetterContext, language: string, overrides: Record<string, string> = {}): RenderedLetter {
  const key = JSON.stringify([language, Object.entries(overrides).sort(([a], [b]) => (a < b ? -1 : 1))]);
  const templates = compiled.get(key) ?? loadLetterTemplates(language, overrides);
  // Least recently used goes first: each language's defaults plus the editor's recent previews.
  compiled.delete(key);
  compiled.set(key, templates);
  if (compiled.size > 32) compiled.delete(compiled.keys().next().value!);
  return renderWithTemplates(templates, context);
}

export function renderWithTemplates(templates: LetterTemplates, context: LetterContext): RenderedLetter {
  const data = cleanLetterContext(context);
  const runtime = { locale: templates.locale, language: templates.language };
  const subject = singleLine(templates.subject(data, { data: runtime }));
  if (!subject) throw new LetterTemplateError(`${templates.language}/subject.hbs`, undefined, "the subject rendered empty");
  const options = { data: { ...runtime, subject } };
  return {
    subject,
    html: templates.html(data, options),
    text: tidyText(templates.text(data, options)),
    emailSubject: templates.emailSubject ? singleLine(templates.emailSubject(data, options)) || subject : subject,
    emailHtml: templates.emailHtml(data, options),
    emailText: tidyText(templates.emailText(data, options)),
  };
}
