import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inlineMarkdownToPlainText, markdownToPlainText } from "../../app/platform/markdown.server";
import { inlineMarkdownToSafeHtml, markdownToSafeHtml, type LetterContext } from "../../app/platform/letter-document.server";
import {
  availableLetterLanguages,
  LETTER_TEMPLATE_FILES,
  LetterTemplateError,
  loadLetterTemplates,
  renderLetter,
  renderWithTemplates,
} from "../../app/platform/letter-templates.server";
import { EmailTemplateError } from "../../app/platform/handlebars.server";

const point = (md: string) => ({ html: inlineMarkdownToSafeHtml(md), text: inlineMarkdownToPlainText(md) });

function context(changes: Partial<LetterContext> = {}): LetterContext {
  return {
    language: "en",
    place: "Oslo",
    date: "2025-01-14",
    sender: { name: "Sample Committee", acronym: "SC", postalAddress: "Street 1\n0150 Oslo", city: "Oslo", website: "https://example.org", email: "post@example.org" },
    addressees: [{ name: "Ada Minister", title: "Foreign Minister", institution: "Ministry of Foreign Affairs", email: "ada@example.gov", salutation: "Dear Minister" }],
    copies: [
      { name: "Bo Deputy", title: "State Secretary", institution: null, email: "bo@example.gov", salutation: null },
      { name: "Cy Director", title: null, institution: null, email: null, salutation: null },
    ],
    salutation: "Dear Minister",
    country: { name: "Norway", code: "NO", instrument: "ratification", deposited: "2000-02-16", entryIntoForce: "2002-07-01", isPartyOnDate: true },
    statesPartiesOnDate: 125,
    subject: null,
    ownParagraph: null,
    demands: [point("**Condemn sanctions**: speak out."), point("Protect [defenders](https://example.org/d).")],
    signers: [
      { name: "Ann Signer", title: "Secretary-General" },
      { name: "Ben Signer", title: "Deputy Secretary-General" },
    ],
    statement: {
      title: "Stand by the Court",
      date: "2025-01-14",
      language: "en",
      author: { name: "Coalition", acronym: "CO" },
      bodyHtml: markdownToSafeHtml("First paragraph.\n\nSecond *paragraph*."),
      bodyText: markdownToPlainText("First paragraph.\n\nSecond *paragraph*."),
      leadIn: "The Coalition and:",
      signatories: [
        { name: "Alpha Org", footnoteMark: null },
        { name: "Beta Org", footnoteMark: "*" },
      ],
      footnotes: [{ mark: "*", ...point("Beta signs as a *coalition*.") }],
    },
    ...changes,
  };
}

/** Renders a one-line probe as the subject, through the real helpers. */
const probe = (source: string, ctx = context(), language = "en") => renderLetter(ctx, language, { [`${language}/subject.hbs`]: source }).subject;

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

describe("letter helpers", () => {
  it("formats dates in the letter's locale", () => {
    expect(probe("{{formatDate date}}")).toBe("14 January 2025");
    expect(probe("{{formatDate date}}", context(), "nb")).toBe("14. januar 2025");
    expect(errorOf(() => probe("{{formatDate place}}")).message).toMatch(/formatDate.*YYYY-MM-DD.*"Oslo"/);
  });

  it("formats lists in the letter's locale, of strings or of a property", () => {
    expect(probe('{{list signers "name"}}')).toBe("Ann Signer and Ben Signer");
    const three = context({ signers: ["A", "B", "C"].map((name) => ({ name, title: "T" })) });
    expect(probe('{{list signers "name"}}', three)).toBe("A, B and C");
    expect(probe('{{list signers "name"}}', three, "nb")).toBe("A, B og C");
    expect(errorOf(() => probe('{{list signers "nmae"}}')).message).toMatch(/an item has no "nmae"/);
  });

  it("counts the states parties, and the others, from the context", () => {
    expect(probe("{{statesParties}} / {{otherStatesParties}}")).toBe("125 / 124");
    expect(probe("{{statesParties}} / {{otherStatesParties}}", context({ statesPartiesOnDate: 76 }))).toBe("76 / 75");
    // A state that is not a party is not among the parties: all of them are "the others".
    const outsider = context({ country: { ...context().country, isPartyOnDate: false } });
    expect(probe("{{statesParties}} / {{otherStatesParties}}", outsider)).toBe("125 / 125");
  });

  it("gives the country's own deposit date and name in the letter's language", () => {
    expect(probe("{{depositDate}}")).toBe("16 February 2000");
    expect(probe("{{depositDate}}", context(), "nb")).toBe("16. februar 2000");
    expect(probe("{{countryName}}")).toBe("Norway");
    expect(probe("{{countryName}}", context(), "nb")).toBe("Norge");
    const never = context({ country: { ...context().country, deposited: null, instrument: null, entryIntoForce: null, isPartyOnDate: false } });
    expect(errorOf(() => probe("{{depositDate}}", never)).message).toMatch(/Norway has deposited no instrument/);
  });
});

describe("strict letter templates", () => {
  it("names the file and line of an unknown variable", () => {
    const error = errorOf(() => renderLetter(context(), "en", { "en/cover-letter.text.hbs": "Hello\n{{addresees}}" }));
    expect(error).toBeInstanceOf(LetterTemplateError);
    expect(error).toBeInstanceOf(EmailTemplateError);
    expect(error.message).toMatch(/^Letter template emails\/letters\/en\/cover-letter\.text\.hbs \(edited\) \(line 2\).*"addresees" not defined/);
  });

  it("is strict about helper arguments too", () => {
    expect(errorOf(() => renderLetter(context(), "en", { "en/cover-letter.text.hbs": "a\nb\n{{#if ownParagrph}}x{{/if}}" })).message).toMatch(
      /cover-letter\.text\.hbs \(edited\) \(line 3\).*"ownParagrph" not defined/,
    );
    expect(errorOf(() => renderLetter(context(), "en", { "en/cover-letter.html.hbs": "<p>{{formatDate sender.dte}}</p>" })).message).toMatch(
      /cover-letter\.html\.hbs \(edited\) \(line 1\).*"dte" not defined/,
    );
    // Null is a value: optional fields are present and null, and {{#if}} reads them.
    expect(renderLetter(context(), "en").text).not.toContain("null");
  });

  it("names the partial file when the mistake is inside a partial", () => {
    const error = errorOf(() => renderLetter(context(), "en", { "partials/demands.text.hbs": "{{#each demands}}\n- {{txet}}\n{{/each}}" }));
    expect(error.message).toMatch(/emails\/letters\/partials\/demands\.text\.hbs \(edited\) \(line 2\).*"txet" not defined/);
  });

  it("refuses a missing partial, an unknown helper and a syntax error when compiling", () => {
    expect(errorOf(() => loadLetterTemplates("en", { "en/cover-letter.text.hbs": "a\n\n{{> apendix}}" })).message).toMatch(
      /cover-letter\.text\.hbs \(edited\) \(line 3\): the partial "apendix" does not exist/,
    );
    expect(errorOf(() => loadLetterTemplates("en", { "en/email.text.hbs": "{{formatDat date}}" })).message).toMatch(/email\.text\.hbs \(edited\) \(line 1\): there is no helper "formatDat"/);
    expect(errorOf(() => loadLetterTemplates("nb", { "nb/subject.hbs": "Sak\n{{#if subject}}{{subject}" })).message).toMatch(/nb\/subject\.hbs \(edited\) \(line 2\)/);
  });

  it("prints unescaped HTML only from the Markdown-rendered fields", () => {
    expect(errorOf(() => loadLetterTemplates("en", { "en/email.html.hbs": "<p>{{{sender.name}}}</p>" })).message).toMatch(/email\.html\.hbs \(edited\) \(line 1\).*unescaped HTML/);
    expect(errorOf(() => loadLetterTemplates("en", { "en/email.html.hbs": "{{#with sender.name as |html|}}{{{html}}}{{/with}}" })).message).toMatch(/block parameter/);
    // Text is plain text: triple braces change nothing there.
    expect(() => loadLetterTemplates("en", { "en/email.text.hbs": "{{{sender.name}}}" })).not.toThrow();
  });

  it("refuses an explicit undefined in the context", () => {
    const broken = context({ ownParagraph: undefined as unknown as null });
    expect(errorOf(() => renderLetter(broken, "en")).message).toMatch(/"ownParagraph" is undefined/);
  });

  it("says which languages exist when asked for another, and refuses paths", () => {
    expect(errorOf(() => renderLetter(context(), "de")).message).toMatch(/no letter templates for the language "de" \(available: en, nb\)/);
    expect(errorOf(() => renderLetter(context(), "../en")).message).toMatch(/no letter templates/);
    expect(errorOf(() => renderLetter(context(), "en", { "en/../../secrets.hbs": "x" })).message).toMatch(/is not the path of a letter template/);
    expect(errorOf(() => renderLetter(context(), "en", { "en/letter.hbs": "x" })).message).toMatch(/is not the path of a letter template/);
  });
});

describe("letter languages", () => {
  it("compiles every language folder and renders all six parts", () => {
    const languages = availableLetterLanguages();
    expect(languages).toEqual(expect.arrayContaining(["en", "nb"]));
    for (const language of languages) {
      const letter = renderLetter(context({ language }), language);
      for (const part of [letter.subject, letter.html, letter.text, letter.emailSubject, letter.emailHtml, letter.emailText]) expect(part.length).toBeGreaterThan(0);
      expect(letter.html).toMatch(new RegExp(`^<!DOCTYPE html>\\n<html lang="${language}">`));
    }
  });

  it("adds a language by adding a folder", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "letters-"));
    fs.cpSync(path.resolve("emails/letters"), dir, { recursive: true });
    fs.cpSync(path.join(dir, "en"), path.join(dir, "fr"), { recursive: true });
    fs.writeFileSync(path.join(dir, "fr", "language.json"), '{ "name": "Français", "locale": "fr-FR" }');
    fs.writeFileSync(path.join(dir, "fr", "subject.hbs"), "Lettre du {{formatDate date}} : {{list signers \"name\"}}");
    expect(availableLetterLanguages(dir)).toContain("fr");
    const letter = renderWithTemplates(loadLetterTemplates("fr", {}, dir), context({ language: "fr" }));
    expect(letter.subject).toBe("Lettre du 14 janvier 2025 : Ann Signer et Ben Signer");
    expect(letter.text).toContain("Oslo, 14 janvier 2025");

    fs.rmSync(path.join(dir, "fr", "email.text.hbs"));
    expect(errorOf(() => loadLetterTemplates("fr", {}, dir)).message).toMatch(/fr\/email\.text\.hbs: is missing/);
    expect(LETTER_TEMPLATE_FILES).toContain("email.text.hbs");
  });

  it("lets a language's own partial replace the shared one", () => {
    const letter = renderLetter(context(), "nb", { "nb/partials/demands.text.hbs": "KRAV: {{#each demands}}[{{text}}]{{/each}}" });
    expect(letter.text).toContain("KRAV: [Condemn sanctions: speak out.][Protect defenders (https://example.org/d).]");
    expect(renderLetter(context(), "en").text).not.toContain("KRAV");
  });
});

describe("rendering", () => {
  it("writes the demands, footnotes and body as HTML in HTML and as plain text in text", () => {
    const letter = renderLetter(context(), "en");
    expect(letter.html).toContain("<li><strong>Condemn sanctions</strong>: speak out.</li>");
    expect(letter.html).toContain('<a href="https://example.org/d" rel="nofollow noopener noreferrer">defenders</a>');
    expect(letter.html).toContain("<p>Second <em>paragraph</em>.</p>");
    expect(letter.html).toContain('<bdi>Beta Org</bdi><sup class="fn-mark">*</sup>');
    expect(letter.text).toContain("- Condemn sanctions: speak out.\n- Protect defenders (https://example.org/d).");
    expect(letter.text).toContain("First paragraph.\n\nSecond paragraph.");
    expect(letter.text).toContain("- Alpha Org\n- Beta Org*\n\n* Beta signs as a coalition.");
    expect(letter.text).toContain("Street 1\n0150 Oslo");
    expect(letter.text).not.toMatch(/[ \t]$/m);
  });

  it("uses the sender's subject when given, the template's otherwise, on one line", () => {
    expect(renderLetter(context(), "en").subject).toBe("Stand by the Court");
    expect(renderLetter(context(), "nb").subject).toBe("Felleserklæring fra sivilsamfunnet: Stand by the Court");
    const letter = renderLetter(context({ subject: "Urgent:\r\nBcc: victim@example.org" }), "en");
    expect(letter.subject).toBe("Urgent: Bcc: victim@example.org");
    expect(letter.emailSubject).toBe(letter.subject);
    expect(letter.text).toContain("\nRe: Urgent: Bcc: victim@example.org\n");
  });

  it("adds the sender's own paragraph, keeping its line breaks", () => {
    const letter = renderLetter(context({ ownParagraph: "We met in May.\r\nThank you for that meeting." }), "en");
    expect(letter.text).toContain("\n\nWe met in May.\nThank you for that meeting.\n\n");
    expect(letter.html).toContain('<p class="own-paragraph">We met in May.\nThank you for that meeting.</p>');
  });

  it("escapes hostile names in HTML and keeps them on their line in text", () => {
    const hostile = "Eve <script>alert(1)</script> & Co\r\nCC: spy@example.org\u202Egnp.exe";
    const ctx = context({
      sender: { ...context().sender, name: hostile },
      addressees: [{ ...context().addressees[0], name: hostile }],
      salutation: "Dear Eve\nBcc: spy@example.org",
    });
    const letter = renderLetter(ctx, "en", { "en/subject.hbs": "{{sender.name}}: {{statement.title}}" });
    for (const html of [letter.html, letter.emailHtml]) {
      expect(html).not.toContain("<script>");
      expect(html).toContain("Eve &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co CC: spy@example.org");
    }
    // The override (U+202E) is dropped, so the name cannot disguise what follows it.
    expect(letter.subject).toBe("Eve <script>alert(1)</script> & Co CC: spy@example.orggnp.exe: Stand by the Court");
    expect(letter.text.match(/^CC:.*$/gm)).toEqual(["CC:"]); // the letter's own CC heading, nothing more
    for (const text of [letter.text, letter.emailText, letter.subject]) {
      expect(text).not.toMatch(/^Bcc:/m);
      expect(text).not.toContain("\u202E");
      expect(text).not.toContain("\r");
    }
    expect(letter.text).toContain("\nEve <script>alert(1)</script> & Co CC: spy@example.org");
  });
});

describe("Markdown as plain text", () => {
  it("keeps words, lists and link targets, and drops emphasis", () => {
    expect(markdownToPlainText("Intro *x* and [site](https://a.example) and <b>raw</b>.\n\n- one\n- **two**\n\n1. first\n2. second\n\nEnd.")).toBe(
      "Intro x and site (https://a.example) and <b>raw</b>.\n\n- one\n- two\n\n1. first\n2. second\n\nEnd.",
    );
    expect(inlineMarkdownToPlainText("see https://b.example and [mail](mailto:a@b.example)")).toBe("see https://b.example and mail (mailto:a@b.example)");
    expect(inlineMarkdownToPlainText("[bad](javascript:alert(1))")).toBe("[bad](javascript:alert(1))");
  });
});
