// Small MIME writing helpers for the inbound corpus (corpus.ts): encoded words (RFC 2047),
// quoted-printable and base64 bodies, RFC 5322 dates, RFC 2231 file names. Written for
// this bench; nothing here is used by the app.

/** Header text as it goes on the wire: ASCII as it is, else one or more encoded words. */
export function encodeWords(text: string, { encoding = "B", charset = "UTF-8" }: { encoding?: "B" | "Q"; charset?: "UTF-8" | "ISO-8859-1" } = {}): string {
  if (!/[^\x20-\x7e]/.test(text)) return text;
  const bufferOf = (s: string) => (charset === "ISO-8859-1" ? Buffer.from(s, "latin1") : Buffer.from(s, "utf8"));
  // Whole characters per word, each word at most 75 characters long.
  const chars = Array.from(text);
  const words: string[] = [];
  let current = "";
  const wordOf = (s: string) => `=?${charset}?${encoding}?${encoding === "B" ? bufferOf(s).toString("base64") : qEncode(bufferOf(s))}?=`;
  for (const ch of chars) {
    if (wordOf(current + ch).length > 75 && current) {
      words.push(wordOf(current));
      current = "";
    }
    current += ch;
  }
  if (current) words.push(wordOf(current));
  return words.join("\r\n ");
}

function qEncode(buf: Buffer): string {
  let out = "";
  for (const b of buf) {
    if (b === 0x20) out += "_";
    else if ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2e || b === 0x2c || b === 0x2d) out += String.fromCharCode(b);
    else out += `=${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** "Name <address>", the name encoded when it must be, quoted when it has specials. */
export function mailbox(name: string | null, address: string, options?: Parameters<typeof encodeWords>[1]): string {
  if (!name) return address;
  if (/[^\x20-\x7e]/.test(name)) return `${encodeWords(name, options)} <${address}>`;
  return /[()<>\[\]:;@\\,."]/.test(name) ? `"${name.replace(/(["\\])/g, "\\$1")}" <${address}>` : `${name} <${address}>`;
}

/** Quoted-printable (RFC 2045) of `text` in `charset`, lines at most 76 characters. */
export function quotedPrintable(text: string, charset: "UTF-8" | "ISO-8859-1" = "UTF-8"): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  return lines
    .map((line) => {
      const bytes = charset === "ISO-8859-1" ? Buffer.from(line, "latin1") : Buffer.from(line, "utf8");
      const tokens: string[] = [];
      bytes.forEach((b, i) => {
        const last = i === bytes.length - 1;
        if ((b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last)) tokens.push(String.fromCharCode(b));
        else tokens.push(`=${b.toString(16).toUpperCase().padStart(2, "0")}`);
      });
      const out: string[] = [];
      let current = "";
      for (const t of tokens) {
        if (current.length + t.length > 75) {
          out.push(`${current}=`);
          current = "";
        }
        current += t;
      }
      out.push(current);
      return out.join("\n");
    })
    .join("\n");
}

/** Base64 in lines of 76. */
export function base64(data: Buffer | string): string {
  const s = (typeof data === "string" ? Buffer.from(data, "utf8") : data).toString("base64");
  return s.replace(/.{1,76}/g, "$&\n").trimEnd();
}

export type TransferEncoding = "7bit" | "8bit" | "quoted-printable" | "base64";

/** A text part's headers and body, in `charset` and `cte`. */
export function textPart(type: "plain" | "html", text: string, { charset = "UTF-8", cte = "quoted-printable", extra = "" }: { charset?: "UTF-8" | "ISO-8859-1" | "us-ascii"; cte?: TransferEncoding; extra?: string } = {}): string {
  const ascii = !/[^\x00-\x7f]/.test(text);
  const cs = ascii && charset === "us-ascii" ? "us-ascii" : charset === "us-ascii" ? "UTF-8" : charset;
  const latin = cs === "ISO-8859-1";
  // 8bit latin-1 cannot be written into the UTF-8 string the message is built as.
  const encoding: TransferEncoding = !ascii && (cte === "7bit" || (latin && cte === "8bit")) ? "quoted-printable" : cte;
  const body =
    encoding === "base64" ? base64(latin ? Buffer.from(text, "latin1") : Buffer.from(text, "utf8"))
    : encoding === "quoted-printable" ? quotedPrintable(text, latin ? "ISO-8859-1" : "UTF-8")
    : text;
  const params = `charset="${cs === "UTF-8" ? "utf-8" : cs}"`;
  return `Content-Type: text/${type}; ${params}\nContent-Transfer-Encoding: ${encoding}\n${extra ? `${extra.trim()}\n` : ""}\n${body}\n`;
}

/** A multipart body: the parts (each "headers\n\nbody") between boundary lines. */
export function multipart(boundary: string, parts: string[], preamble = ""): string {
  return `${preamble ? `${preamble}\n` : ""}${parts.map((p) => `--${boundary}\n${p.replace(/\n+$/, "")}\n`).join("\n")}\n--${boundary}--\n`;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

/** An RFC 5322 date for `d` as seen at `offsetMinutes` from UTC. */
export function rfc5322Date(d: Date, offsetMinutes = 0, { weekday = true, zoneComment = false }: { weekday?: boolean; zoneComment?: boolean } = {}): string {
  const local = new Date(d.getTime() + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const zone = `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
  const day = `${weekday ? `${DAYS[local.getUTCDay()]}, ` : ""}${local.getUTCDate()} ${MONTHS[local.getUTCMonth()]} ${local.getUTCFullYear()}`;
  return `${day} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} ${zone}${zoneComment && offsetMinutes === 0 ? " (UTC)" : ""}`;
}

/** A Content-Disposition file name: plain when ASCII, else RFC 2231 (or an encoded word, as Outlook writes it). */
export function fileNameParams(name: string, style: "rfc2231" | "encoded-word"): { type: string; disposition: string } {
  if (!/[^\x20-\x7e]/.test(name)) return { type: `name="${name}"`, disposition: `filename="${name}"` };
  if (style === "encoded-word") {
    const word = `=?utf-8?B?${Buffer.from(name, "utf8").toString("base64")}?=`;
    return { type: `name="${word}"`, disposition: `filename="${word}"` };
  }
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return { type: `name*=utf-8''${encoded}`, disposition: `filename*=utf-8''${encoded}` };
}

/** CRLF line ends, as IMAP stores a message. */
export const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, "\r\n"), "utf8");
