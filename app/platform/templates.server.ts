// Email templates: emails/<name>.html.hbs and .text.hbs per message, wrapped in
// emails/layouts/base.*.hbs, sharing emails/partials/, subjects in emails/subjects.json.
// Everything is compiled once, in strict mode, so a missing variable is an error before
// sending rather than a blank in a letter. HTML escapes; text and subjects do not.
// Paths resolve from the working directory: the server bundle runs from build/.
import fs from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import { asTemplateError, compileTemplate, EmailTemplateError, type Hbs, type Render, singleLine, tidyText } from "./handlebars.server";

/** Every email carries the product name, which the layout and footer print. */
export interface EmailBase {
  appName: string;
}

export interface InvitationEmail extends EmailBase {
  inviteeName: string;
  inviterName: string;
  role: "coordinator" | "member";
  organisationName: string | null;
  acceptUrl: string;
  /** Already formatted for people, e.g. "30 November 2026, 21:00 UTC". */
  expiresAt: string;
}

/** To an organisation's contact after the sign-on form: confirm, or withdraw. */
export interface SignatureVerifyEmail extends EmailBase {
  contactName: string;
  organisationName: string;
  statementTitle: string;
  verifyUrl: string;
  withdrawUrl: string;
  /** Already formatted for people, e.g. "30 November 2026, 21:00 UTC". */
  expiresAt: string;
  hours: number;
}

/** The coordinators approved the sign-on: the organisation is on the public list. */
export interface SignatureApprovedEmail extends EmailBase {
  contactName: string;
  organisationName: string;
  /** The name as the public list shows it (coordinators may have adjusted it). */
  shownName: string;
  statementTitle: string;
  statementUrl: string;
  withdrawUrl: string;
}

/** The coordinators rejected the sign-on, and why. */
export interface SignatureRejectedEmail extends EmailBase {
  contactName: string;
  organisationName: string;
  statementTitle: string;
  reason: string;
  withdrawUrl: string;
}

/** A one-time link that signs a person in (when the password form is slowed or forgotten). */
export interface SignInLinkEmail extends EmailBase {
  name: string;
  email: string;
  signInUrl: string;
  /** Already formatted for people, e.g. "30 November 2026, 21:00 UTC". */
  expiresAt: string;
  minutes: number;
}

/** A ministry's reply came in by mail: told to the organisation whose letter it answers. */
export interface ReplyReceivedEmail extends EmailBase {
  organisationName: string;
  countryName: string;
  statementTitle: string;
  correspondent: string;
  subject: string;
  /** Already formatted, e.g. "8 December 2026". */
  receivedOn: string;
  /** Sent to Demarche's reply address: the organisation gets it here in full (else the first lines). */
  forwarded: boolean;
  /** The reply's text, whole when forwarded, else its first lines. */
  excerpt: string;
  stateUrl: string;
}

/** The typed list of emails: add a name here and its two templates plus a subject. */
export interface EmailData {
  invitation: InvitationEmail;
  "signature-verify": SignatureVerifyEmail;
  "signature-approved": SignatureApprovedEmail;
  "signature-rejected": SignatureRejectedEmail;
  "sign-in-link": SignInLinkEmail;
  "reply-received": ReplyReceivedEmail;
}
export type EmailName = keyof EmailData;

// A Record so the compiler insists every EmailName is listed.
const LISTED: Record<EmailName, true> = { invitation: true, "signature-verify": true, "signature-approved": true, "signature-rejected": true, "sign-in-link": true, "reply-received": true };
export const EMAIL_NAMES = Object.keys(LISTED) as EmailName[];

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

function createEnvironment(): Hbs {
  const hbs = Handlebars.create();
  // The only logic templates need: choosing wording by role or status.
  hbs.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  return hbs;
}

interface Compiled {
  emails: Record<EmailName, { subject: Render; html: Render; text: Render }>;
  layouts: { html: Render; text: Render };
}

function label(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

function readTemplate(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new EmailTemplateError(label(file), undefined, `cannot read the file (${(error as Error).message})`);
  }
}

function registerPartials(dir: string, html: Hbs, text: Hbs) {
  const partialsDir = path.join(dir, "partials");
  const files = fs.existsSync(partialsDir) ? fs.readdirSync(partialsDir).filter((f) => f.endsWith(".hbs")).sort() : [];
  for (const name of files) {
    const file = path.join(partialsDir, name);
    // A partial's final newline would end up inside whatever sentence includes it.
    const source = readTemplate(file).replace(/\r?\n$/, "");
    // foo.html.hbs is for HTML only, foo.text.hbs for text only, foo.hbs for both
    // (escaped in HTML, verbatim in text, because each side compiles its own copy).
    const match = /^(.*?)(?:\.(html|text))?\.hbs$/.exec(name)!;
    const [, partial, only] = match;
    if (only !== "text") html.registerPartial(partial, compileTemplate(source, label(file), { escape: true, env: html }));
    if (only !== "html") text.registerPartial(partial, compileTemplate(source, label(file), { escape: false, env: text }));
  }
}

function readSubjects(dir: string): Record<string, unknown> {
  const file = path.join(dir, "subjects.json");
  try {
    return JSON.parse(readTemplate(file));
  } catch (error) {
    throw asTemplateError(label(file), error);
  }
}

/** Reads and compiles every email under `dir`. Call at start-up to fail early. */
export function loadEmailTemplates(dir = path.resolve("emails")): Compiled {
  // Two environments: partials compile with their caller's escaping, so HTML and
  // text must never share a cached partial.
  const html = createEnvironment();
  const text = createEnvironment();
  registerPartials(dir, html, text);
  const subjects = readSubjects(dir);
  const subjectsFile = label(path.join(dir, "subjects.json"));
  const compileFile = (file: string, escape: boolean) =>
    compileTemplate(readTemplate(file), label(file), { escape, env: escape ? html : text });

  const emails = {} as Compiled["emails"];
  for (const name of EMAIL_NAMES) {
    const subject = subjects[name];
    if (typeof subject !== "string") throw new EmailTemplateError(subjectsFile, undefined, `no subject for "${name}"`);
    emails[name] = {
      subject: compileTemplate(subject, `${subjectsFile} ("${name}")`, { escape: false, env: text }),
      html: compileFile(path.join(dir, `${name}.html.hbs`), true),
      text: compileFile(path.join(dir, `${name}.text.hbs`), false),
    };
  }
  const layouts = {
    html: compileFile(path.join(dir, "layouts", "base.html.hbs"), true),
    text: compileFile(path.join(dir, "layouts", "base.text.hbs"), false),
  };
  return { emails, layouts };
}

let compiled: Compiled | undefined;

/** Forgets the compiled templates (tests, or after editing emails/ in development). */
export function clearEmailTemplateCache(): void {
  compiled = undefined;
}

export function renderEmail<N extends EmailName>(name: N, data: EmailData[N]): RenderedEmail {
  compiled ??= loadEmailTemplates();
  // Strict mode catches absent keys; an explicit undefined would still print nothing.
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined) throw new EmailTemplateError(`emails/${name}`, undefined, `"${key}" is undefined`);
  }
  const templates = compiled.emails[name];
  const subject = singleLine(templates.subject(data));
  if (!subject) throw new EmailTemplateError(`emails/subjects.json ("${name}")`, undefined, "the subject rendered empty");
  const html = compiled.layouts.html({ ...data, subject, body: templates.html(data) });
  const text = compiled.layouts.text({ ...data, subject, body: tidyText(templates.text(data)).trimEnd() });
  return { subject, html, text: tidyText(text) };
}
