import { describe, expect, it } from "vitest";
import { compileTemplate, EmailTemplateError } from "../../app/platform/handlebars.server";
import { EMAIL_NAMES, loadEmailTemplates, renderEmail, type InvitationEmail } from "../../app/platform/templates.server";

const invitation: InvitationEmail = {
  inviteeName: "Amina <script>alert(1)</script>",
  inviterName: "Jo & Co",
  role: "member",
  organisationName: "Avocats Sans Frontières",
  acceptUrl: "http://127.0.0.1:3000/invitations/tok_123?x=1&y=2",
  expiresAt: "30 November 2026, 21:00 UTC",
  appName: "Demarche",
};

describe("renderEmail", () => {
  it("renders the invitation as HTML and text with a subject", () => {
    const email = renderEmail("invitation", invitation);
    expect(email.subject).toBe("Jo & Co has invited you to Demarche");
    expect(email.html).toContain("<!DOCTYPE html>");
    expect(email.html).toContain('href="http://127.0.0.1:3000/invitations/tok_123?x&#x3D;1&amp;y&#x3D;2"');
    expect(email.html).toContain("Avocats Sans Frontières");
    expect(email.text).toContain("http://127.0.0.1:3000/invitations/tok_123?x=1&y=2");
    expect(email.text).toContain("30 November 2026, 21:00 UTC");
    expect(email.text).toMatch(/member for Avocats Sans Frontières/);
    expect(email.text).toMatch(/only once/);
    expect(email.text).toMatch(/ignore this email/);
    expect(email.text).toContain("\n-- \nSent by Demarche");
  });

  it("escapes HTML in the HTML part and keeps the text part verbatim", () => {
    const email = renderEmail("invitation", invitation);
    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain("Amina &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(email.html).toContain("Jo &amp; Co");
    expect(email.text).toContain("Hello Amina <script>alert(1)</script>,");
    expect(email.text).toContain("Jo & Co has invited you");
  });

  it("describes what each role may do", () => {
    const coordinator = renderEmail("invitation", { ...invitation, role: "coordinator", organisationName: null });
    expect(coordinator.text).toMatch(/as a coordinator/);
    expect(coordinator.text).toMatch(/secretariat/);
    const member = renderEmail("invitation", { ...invitation, organisationName: null });
    expect(member.text).toMatch(/invited as a member\. Members are staff of one organisation/);
    expect(member.text).toMatch(/letters and recipient lists/);
  });

  it("refuses a missing variable, naming the template", () => {
    const { inviterName: _dropped, ...incomplete } = invitation;
    expect(() => renderEmail("invitation", incomplete as InvitationEmail)).toThrow(/emails\/subjects\.json.*"inviterName" not defined/);
    expect(() => renderEmail("invitation", { ...invitation, acceptUrl: undefined as unknown as string })).toThrow(/acceptUrl/);
  });

  it("never puts a line break in a subject", () => {
    const email = renderEmail("invitation", { ...invitation, inviterName: "Eve\r\nBcc: victim@example.org" });
    expect(email.subject).toBe("Eve Bcc: victim@example.org has invited you to Demarche");
  });

  it("compiles every listed email", () => {
    const compiled = loadEmailTemplates();
    expect(Object.keys(compiled.emails).sort()).toEqual([...EMAIL_NAMES].sort());
  });
});

describe("compileTemplate", () => {
  it("names the file and line of a syntax error", () => {
    let error: unknown;
    try {
      compileTemplate("Hello\n{{#if name}}\n{{name}\n", "emails/broken.text.hbs", { escape: false });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EmailTemplateError);
    expect((error as EmailTemplateError).file).toBe("emails/broken.text.hbs");
    expect((error as Error).message).toMatch(/^Email template emails\/broken\.text\.hbs \(line 3\)/);
  });

  it("names the file and position of a missing variable", () => {
    const render = compileTemplate("<p>\n{{greeting}}, {{name}}</p>", "emails/hello.html.hbs", { escape: true });
    expect(render({ greeting: "Hi", name: "<b>" })).toBe("<p>\nHi, &lt;b&gt;</p>");
    expect(() => render({ greeting: "Hi" })).toThrow(/emails\/hello\.html\.hbs \(line 2\).*"name" not defined/);
  });

  it("names the file of a missing partial", () => {
    const render = compileTemplate("{{> signature}}", "emails/letter.text.hbs", { escape: false });
    expect(() => render({})).toThrow(/emails\/letter\.text\.hbs.*partial signature could not be found/);
  });

  it("leaves text unescaped when asked", () => {
    expect(compileTemplate("{{a}}", "t", { escape: false })({ a: "<&>" })).toBe("<&>");
  });
});
