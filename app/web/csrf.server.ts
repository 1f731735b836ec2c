// Cross-site request forgery guard, applied to every request by the server before
// Remix sees it. Browsers send Origin on every cross-site POST (and Referer when
// Origin is withheld), so a state-changing request whose origin is not ours is
// refused. Requests authenticated only by an API token carry no cookie a foreign
// site could ride on, so they are exempt.
export interface OriginCheckInput {
  method: string;
  host?: string;
  origin?: string;
  referer?: string;
  authorization?: string;
  cookie?: string;
  baseUrl: string;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Why the request is refused, or null when it may proceed. */
export function crossOriginRejection(input: OriginCheckInput): string | null {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return null;
  if (/^Bearer\s/i.test(input.authorization ?? "") && !input.cookie) return null;
  const claimed = originOf(input.origin && input.origin !== "null" ? input.origin : input.referer);
  if (!claimed) return "Refused: this form was not submitted from a Demarche page (no Origin or Referer).";
  const allowed = new Set([originOf(input.baseUrl)]);
  if (input.host) {
    allowed.add(`http://${input.host}`);
    allowed.add(`https://${input.host}`);
  }
  return allowed.has(claimed) ? null : "Refused: this request came from another site.";
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
