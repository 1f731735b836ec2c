// The throwaway Dovecot of tests/setup/imap.ts: messages stored by IMAP APPEND come back
// byte for byte through imapflow, the wrong password is refused, and two instances run
// side by side without seeing each other's mail.
import { ImapFlow } from "imapflow";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithImap, startImapServer, type ImapServer } from "../setup/imap";

const crlf = (lines: string[]) => lines.join("\r\n") + "\r\n";

const first = crlf([
  "From: Désirée Ngozi <desiree@example.org>",
  "To: ministry@example.gov",
  "Subject: Joint letter on the Rome Statute",
  "Message-ID: <first@example.org>",
  "Date: Tue, 14 Jan 2025 10:00:00 +0000",
  "MIME-Version: 1.0",
  "Content-Type: text/plain; charset=utf-8",
  "Content-Transfer-Encoding: 8bit",
  "",
  "Dear Minister — please read the attached letter.",
  "Med vennlig hilsen, Désirée",
]);

const second = Buffer.from(
  crlf([
    "From: secretariat@example.org",
    "To: ministry@example.gov",
    "Subject: Re: Joint letter",
    "Message-ID: <second@example.org>",
    "In-Reply-To: <first@example.org>",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="b1"',
    "",
    "--b1",
    "Content-Type: text/plain; charset=us-ascii",
    "",
    "See attachment.",
    "--b1",
    "Content-Type: application/pdf; name=letter.pdf",
    "Content-Transfer-Encoding: base64",
    "",
    Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff, 0x10, 0x80]).toString("base64"),
    "--b1--",
  ]),
);

/** STATUS of `path`; imapflow answers false when the server refused it. */
async function status(client: ImapFlow, path: string) {
  const result = await client.status(path, { messages: true, uidValidity: true, uidNext: true });
  if (!result) throw new Error(`STATUS ${path} was refused`);
  return result;
}

/** imapflow options from an ImapServer url (imap://user:pass@host:port/MAILBOX). */
function fromUrl(url: string, password?: string) {
  const u = new URL(url);
  return {
    options: {
      host: u.hostname,
      port: Number(u.port),
      secure: false,
      auth: { user: decodeURIComponent(u.username), pass: password ?? decodeURIComponent(u.password) },
      logger: false as const,
    },
    mailbox: decodeURIComponent(u.pathname.slice(1)),
  };
}

describeWithImap("a throwaway Dovecot", () => {
  let imap: ImapServer;
  const uids: number[] = [];

  beforeAll(async () => {
    imap = await startImapServer();
    uids.push(await imap.append(first));
    uids.push(await imap.append(second));
  });

  afterAll(async () => {
    await imap?.stop();
  });

  it("keeps both messages, and gives them back byte for byte by UID", async () => {
    expect(imap.url).toBe(`imap://${encodeURIComponent(imap.user)}:${encodeURIComponent(imap.password)}@127.0.0.1:${imap.port}/INBOX`);
    expect(imap.url).toContain("tester%40example.org");
    expect(uids).toEqual([1, 2]);

    const { options, mailbox } = fromUrl(imap.url);
    expect(mailbox).toBe("INBOX");
    const client = new ImapFlow(options);
    await client.connect();
    try {
      const inbox = await status(client, mailbox);
      expect(inbox.messages).toBe(2);
      expect(inbox.uidNext).toBe(3);
      expect(typeof inbox.uidValidity).toBe("bigint");
      expect(inbox.uidValidity! > 0n).toBe(true);

      const lock = await client.getMailboxLock(mailbox);
      try {
        const opened = client.mailbox;
        if (!opened) throw new Error("no mailbox selected");
        expect(opened.exists).toBe(2);
        expect(opened.uidValidity).toBe(inbox.uidValidity);

        const one = await client.fetchOne(String(uids[0]), { source: true, uid: true }, { uid: true });
        const two = await client.fetchOne(String(uids[1]), { source: true, uid: true }, { uid: true });
        if (!one || !two) throw new Error("a message is missing");
        expect(one.uid).toBe(uids[0]);
        expect(two.uid).toBe(uids[1]);
        expect(one.source!.equals(Buffer.from(first, "utf8"))).toBe(true);
        expect(two.source!.equals(second)).toBe(true);
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  });

  it("refuses the wrong password", async () => {
    const { options } = fromUrl(imap.url, imap.password + "x");
    const client = new ImapFlow(options);
    client.on("error", () => undefined);
    const error = await client.connect().then(
      () => null,
      (e: unknown) => e as { authenticationFailed?: boolean; message: string },
    );
    client.close();
    expect(error).not.toBeNull();
    expect(error!.authenticationFailed).toBe(true);
  });

  it("runs a second instance beside the first, sharing nothing, and stops it for good", async () => {
    const other = await startImapServer();
    try {
      expect(other.port).not.toBe(imap.port);
      expect(await other.append(first, "Archive")).toBe(1);
      expect(await other.append(second, "Archive")).toBe(2);
      const client = new ImapFlow(fromUrl(other.url).options);
      await client.connect();
      try {
        expect((await status(client, "INBOX")).messages).toBe(0);
        expect((await status(client, "Archive")).messages).toBe(2);
      } finally {
        await client.logout();
      }
    } finally {
      await other.stop();
    }
    // Gone: its port refuses (or, taken meanwhile by another test's server, the login does).
    const gone = new ImapFlow(fromUrl(other.url).options);
    gone.on("error", () => undefined);
    await expect(gone.connect()).rejects.toThrow();
    gone.close();
    // The first instance still has its two messages.
    const client = new ImapFlow(fromUrl(imap.url).options);
    await client.connect();
    try {
      expect((await status(client, "INBOX")).messages).toBe(2);
    } finally {
      await client.logout();
    }
  });
});
