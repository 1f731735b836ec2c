// Form posts that end in a redirect, answered without the document pipeline.
//
// A sign-on is one small INSERT, yet through express and Remix's document handling
// (route matching, adapters, abort signals) it cost several times that in CPU, and
// the issue asks for 500 sign-ons a second on two cores. For the routes named here
// the server calls the route's own action, taken from the Remix build so it shares
// every module (rate limits, caches) with Remix. When the action redirects (every
// success) the redirect is written at once. Anything else (field errors, 404, 429)
// goes to Remix with the same request and the first outcome (action-replay.server.ts),
// so Remix renders the page without running the action a second time. A listed
// route's action must start with replayOr(request, ...).
import type http from "node:http";
import proxyaddr from "proxy-addr";
import { createRequestHandler, writeReadableStreamToWritable, type ServerBuild } from "@remix-run/node";
import { crossOriginRejection } from "./csrf.server";
import { SECURITY_HEADERS } from "~/platform/http-headers.server";
import { dropOutcome, keepOutcome, REPLAY_HEADER } from "./action-replay.server";

const MAX_BODY = 1024 * 1024;
const trustLoopback = proxyaddr.compile("loopback");

export interface FastRoute {
  routeId: string;
  pattern: RegExp; // captures the route's params by name
}

export function createRedirectFastPath(build: ServerBuild, mode: string, baseUrl: string, routes: FastRoute[]) {
  const remix = createRequestHandler(build, mode);
  return function handle(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    if (req.method !== "POST" || !/^application\/x-www-form-urlencoded\b/i.test(req.headers["content-type"] ?? "")) return false;
    const pathname = (req.url ?? "").split("?")[0];
    for (const route of routes) {
      const match = route.pattern.exec(pathname);
      const action = match && build.routes[route.routeId]?.module.action;
      if (!match || !action) continue;
      void answer(req, res, action, { ...match.groups }).catch((error) => {
        console.error("fast path failed:", error);
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain", ...SECURITY_HEADERS });
        res.end("Something went wrong on our side.");
      });
      return true;
    }
    return false;
  };

  async function answer(req: http.IncomingMessage, res: http.ServerResponse, action: NonNullable<ServerBuild["routes"][string]["module"]["action"]>, params: Record<string, string>) {
    const rejection = crossOriginRejection({
      method: req.method ?? "POST",
      host: req.headers.host,
      origin: req.headers.origin,
      referer: req.headers.referer,
      authorization: req.headers.authorization,
      cookie: req.headers.cookie,
      baseUrl,
    });
    if (rejection) return void res.writeHead(403, { "Content-Type": "text/plain", ...SECURITY_HEADERS }).end(rejection);
    const body = await readBody(req);
    if (!body) return void res.writeHead(413, { "Content-Type": "text/plain", ...SECURITY_HEADERS }).end("The form is too large.");

    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || name === "x-demarche-client-ip" || name === REPLAY_HEADER) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
    }
    // The same client address express would give (X-Forwarded-For only from loopback proxies).
    headers.set("x-demarche-client-ip", proxyaddr(req, trustLoopback));
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`).href;
    const request = () => new Request(url, { method: "POST", headers, body: new Uint8Array(body) });

    let result: unknown;
    let thrown = false;
    try {
      result = await action({ request: request(), params, context: {} });
    } catch (error) {
      result = error;
      thrown = true;
    }
    if (result instanceof Response && result.status >= 300 && result.status < 400 && result.headers.has("Location")) {
      const out: Record<string, string | string[]> = { ...SECURITY_HEADERS };
      result.headers.forEach((value, name) => {
        if (name !== "set-cookie") out[name] = value;
      });
      const cookies = result.headers.getSetCookie();
      if (cookies.length) out["set-cookie"] = cookies;
      return void res.writeHead(result.status, out).end();
    }
    const replay = keepOutcome({ thrown, value: result });
    headers.set(REPLAY_HEADER, replay);
    try {
      await send(res, await remix(request(), {}));
    } finally {
      dropOutcome(replay);
    }
  }
}

async function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function send(res: http.ServerResponse, response: Response) {
  const out: Record<string, string | string[]> = { ...SECURITY_HEADERS };
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") out[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) out["set-cookie"] = cookies;
  res.writeHead(response.status, response.statusText, out);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}
