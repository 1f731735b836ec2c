// Remix's default Node entry, plus the Content-Security-Policy of every page: a fresh
// nonce per response for Remix's own inline scripts, no other inline script, images from
// us or data: only, never framed. A route that sends a stricter policy of its own (the
// public statement page, a letter's document) keeps it.
import { randomBytes } from "node:crypto";
import { PassThrough } from "node:stream";
import type { EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "~/lib/csp-nonce";
import { pagePolicy } from "~/platform/http-headers.server";
import { isDatabaseBusy } from "~/platform/db.server";

// Requests that failed because another process held the database's write lock past the
// busy timeout. Routes answer those themselves through app/web/respond.server.ts (503,
// the form kept); this catches any other, so the answer is still 503 + Retry-After.
const busyRequests = new WeakSet<Request>();

export const handleError: HandleErrorFunction = (error, { request }) => {
  if (isDatabaseBusy(error)) busyRequests.add(request);
  if (!request.signal.aborted) console.error(error);
};

export const streamTimeout = 5_000;

export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  const nonce = randomBytes(16).toString("base64");
  if (busyRequests.has(request)) responseStatusCode = 503;
  // A 503 is always "the database is busy" here (a route's form answer, or the above);
  // action headers do not reach the document, so the header is set for all of them.
  if (responseStatusCode === 503 && !responseHeaders.has("Retry-After")) responseHeaders.set("Retry-After", "5");
  if (!responseHeaders.has("Content-Security-Policy")) responseHeaders.set("Content-Security-Policy", pagePolicy(nonce));
  // No page defers data, so the shell is the whole page: one path for people and crawlers.
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const ready = () => {
      shellRendered = true;
      const body = new PassThrough();
      responseHeaders.set("Content-Type", "text/html");
      resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        onShellReady: ready,
        onShellError: reject,
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors before the shell reject above and are logged by Remix.
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, streamTimeout + 1_000);
  });
}
