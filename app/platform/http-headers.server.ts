// Headers every response carries, whichever path served it (express, the cached
// statement pages, the sign-on fast path): kept in one place so they cannot drift.
export const SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  "X-Frame-Options": "DENY",
  // Pages and routes with content of their own replace this (pagePolicy below, or theirs).
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
};

/** For responses that set no policy of their own (files, data, redirects, plain text): nothing may load. */
export const BASELINE_POLICY = SECURITY_HEADERS["Content-Security-Policy"];

/**
 * Every page's policy. Scripts: ours, and inline only with this response's nonce. Styles may
 * be inline: a letter, a template preview and a captured message are shown in sandboxed
 * srcdoc frames, which inherit this policy, and their own <style> must apply. A style
 * cannot run script, and whatever it or the framed document names elsewhere (an image, a
 * font) is still refused, since everything but scripts and styles is 'self' only.
 * The outreach map is an <object> of our own SVG; forms post to us only.
 */
export function pagePolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}
