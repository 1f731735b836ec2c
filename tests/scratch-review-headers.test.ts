import { it } from "vitest";
import nodemailer from "nodemailer";
import { buildMessage } from "~/services/mailer.server";
it("headers", async () => {
  const t = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  const names = ['Evil\r\nBcc: x@evil.org', 'A, B <b@evil.org>', 'Q"uote <z@evil.org>', 'x\u2028Bcc: y@evil.org', 'Ünïcödé "q", <a@b>'];
  for (const n of names) {
    const m = buildMessage({ from: { name: `${n} via Demarche`, address: "d@example.org" }, replyTo: { name: n, address: "r@example.org" }, to: [{ name: n, address: "t@example.gov" }], cc: [{ name: n, address: "c@example.gov" }], subject: `S ${n}`, html: "<p>x</p>", text: "x" });
    const info = await t.sendMail(m);
    const head = (info.message as Buffer).toString().split("\n\n")[0];
    console.log(JSON.stringify(n), "\n", head.split("\n").filter((l) => /^(From|To|Cc|Reply-To|Subject|Bcc|\s)/.test(l)).join("\n"), "\nENVELOPE", JSON.stringify(info.envelope));
  }
});
