// Headers every response carries, whichever path served it (express, the cached
// statement pages, the sign-on fast path): kept in one place so they cannot drift.
export const SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  "X-Frame-Options": "DENY",
};
