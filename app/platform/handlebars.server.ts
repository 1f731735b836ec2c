// The one place Handlebars templates are compiled, for the platform's emails and for
// cover letters alike: parsed eagerly (syntax errors at load, not at first render),
// strict (a missing variable is an error, never a blank), and every failure names
// the template file and, where Handlebars reports one, the line.
import Handlebars from "handlebars";

export type Hbs = typeof Handlebars;
export type Render = (data: unknown, options?: Handlebars.RuntimeOptions) => string;

/** A template problem, naming the file (and line when Handlebars reports one). */
export class EmailTemplateError extends Error {
  constructor(readonly file: string, readonly line: number | undefined, reason: string) {
    super(`Email template ${file}${line ? ` (line ${line})` : ""}: ${reason}`);
    this.name = "EmailTemplateError";
  }
}

export class LetterTemplateError extends EmailTemplateError {
  constructor(file: string, line: number | undefined, reason: string) {
    super(file, line, reason);
    this.message = this.message.replace(/^Email template/, "Letter template");
    this.name = "LetterTemplateError";
  }
}

type ErrorClass = new (file: string, line: number | undefined, reason: string) => EmailTemplateError;

/** Wraps whatever Handlebars (or JSON.parse) threw into `kind`, keeping the line it names. */
export function asTemplateError(file: string, error: unknown, kind: ErrorClass = EmailTemplateError): EmailTemplateError {
  if (error instanceof EmailTemplateError) return error;
  const e = error as { message?: string; lineNumber?: number };
  const message = String(e?.message ?? error);
  const line = e?.lineNumber ?? Number(/(?:line |- )(\d+):?/.exec(message)?.[1] ?? NaN);
  return new kind(file, Number.isFinite(line) ? line : undefined, message.trim());
}

export interface CompileOptions {
  escape: boolean;
  /** Where helpers and partials come from; a fresh one when not given. */
  env?: Hbs;
  /** Checks run on the parsed template before compiling (letters refuse more than Handlebars does). */
  inspect?: (ast: hbs.AST.Program) => void;
  errorClass?: ErrorClass;
}

/** Compiles one template; both compile-time and render-time errors name `file`. */
export function compileTemplate(source: string, file: string, { escape, env = Handlebars.create(), inspect, errorClass }: CompileOptions): Render {
  let template: HandlebarsTemplateDelegate;
  try {
    const ast = env.parse(source);
    inspect?.(ast);
    template = env.compile(ast, { strict: true, noEscape: !escape });
  } catch (error) {
    throw asTemplateError(file, error, errorClass);
  }
  return (data, options) => {
    try {
      return template(data, options);
    } catch (error) {
      throw asTemplateError(file, error, errorClass);
    }
  };
}

/** A subject is one header line: line breaks would start a new header, so they go. */
export function singleLine(subject: string): string {
  return subject.replace(/[\r\n\t]+/g, " ").replace(/ {2,}/g, " ").trim();
}

/** Trailing blanks and runs of empty lines go; a signature delimiter ("-- ") keeps its space. */
export function tidyText(text: string): string {
  return text.replace(/(?<!^--)[ \t]+$/gm, "").replace(/\n{3,}/g, "\n\n").trim() + "\n";
}
