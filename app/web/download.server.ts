// The headers of every download: always an attachment, never cached (the files hold
// contact details, letters and mail), never sniffed into another type. One place for
// the Content-Disposition filename (RFC 6266), so a name with accents or quotes comes
// out the same in every browser.
const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;

/**
 * `attachment; filename="…"`, the name made plain ASCII without quotes, backslashes,
 * semicolons, percent signs or slashes; when that changed the name, the exact name
 * follows as RFC 5987 UTF-8 (`filename*=UTF-8''…`), which browsers prefer.
 */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\;%]/g, "_").replace(/[/]/g, "_").trim() || "download";
  if (fallback === filename) return `attachment; filename="${fallback}"`;
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** A file the app made (an export, a letter's PDF, a ZIP): its own type, as given. */
export function downloadHeaders(filename: string, contentType: string, size?: number): Headers {
  const headers = new Headers({
    "Content-Type": contentType,
    "Content-Disposition": contentDisposition(filename),
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
  });
  if (size !== undefined) headers.set("Content-Length", String(size));
  return headers;
}

/**
 * Stored bytes someone else wrote (a captured message, an attachment, an uploaded
 * reply): a content type we have checked (else application/octet-stream), and a
 * sandbox, so nothing in it runs in our origin even if a browser opens it.
 */
export function storedFileHeaders(filename: string, contentType: string, size: number): Headers {
  const declared = contentType.split(";")[0].trim();
  const headers = downloadHeaders(filename, MIME_TYPE.test(declared) ? declared.toLowerCase() : "application/octet-stream", size);
  headers.set("Content-Security-Policy", "sandbox");
  return headers;
}
