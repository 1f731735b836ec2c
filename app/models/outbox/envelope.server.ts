// Every message can be recognised when something comes back for it (issue 12). Its
// Message-ID is ours (`<dispatch.<uuid>@domain>`, fixed when it is queued), and its
// envelope sender names it too: bounces+<uuid>@<bounce domain> (VERP), so a bounce, even
// one that quotes nothing of the original, says which message it is about. The same
// token is the DSN envelope id (ENVID), which delivery status notifications carry back.
const TOKEN = /^<dispatch\.([0-9a-f-]{36})@[^>]+>$/i;

/** The token of one of our Message-IDs, or null for a Message-ID we did not make. */
export function tokenOfMessageId(messageId: string): string | null {
  return TOKEN.exec(messageId.trim())?.[1].toLowerCase() ?? null;
}

/** The envelope sender for a message: bounces+<token>@domain; null when the Message-ID is not ours. */
export function envelopeSenderFor(messageId: string, bounceDomain: string): string | null {
  const token = tokenOfMessageId(messageId);
  return token ? `bounces+${token}@${bounceDomain}` : null;
}

/** The token in an address we gave as envelope sender (bounces+<token>@…), or null. */
export function tokenOfEnvelopeSender(address: string): string | null {
  return /^bounces\+([0-9a-f-]{36})@/i.exec(address.trim())?.[1].toLowerCase() ?? null;
}

/** The reply address for a message (REPLY_DOMAIN set): reply+<token>@domain; null when the Message-ID is not ours. */
export function replyAddressFor(messageId: string, replyDomain: string): string | null {
  const token = tokenOfMessageId(messageId);
  return token ? `reply+${token}@${replyDomain}` : null;
}

/** The token in our reply address (reply+<token>@…), or null. */
export function tokenOfReplyAddress(address: string): string | null {
  return /^reply\+([0-9a-f-]{36})@/i.exec(address.trim())?.[1].toLowerCase() ?? null;
}
