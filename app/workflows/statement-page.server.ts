// The public statement page and its JSON twin are rendered once per statement
// version and then served from memory, so the cost of a view does not grow with the
// number of signatories or of visitors.
//
// - Every change to what the public sees calls touchStatement (signatory-list.server),
//   which bumps statements.version and notes it in-process (statement-versions).
// - A cached reply is used only while its version is the newest known one and, for
//   an open statement, only until its signing deadline (the page then says closed).
// - A miss renders from one transaction (version and data read together), so a page
//   is never filed under a newer version than the data it shows.
// - server.ts calls `serveCachedStatementPage` before express: a hit is written
//   straight to the socket; a miss goes on to the route, which renders and files it.
// Changes made by another process (a second app process, the CLI) are noticed by
// app/jobs/other-writers.server.ts within a quarter second.
import { SECURITY_HEADERS } from "~/platform/http-headers.server";
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import type { DB } from "~/platform/db.server";
import { knownStatementVersion, noteStatementVersion } from "~/models/statement-versions.server";
import { findPublicStatement, signingEndsFor, type PublicStatement } from "~/models/public-statement.server";

export type Kind = "page" | "json";
type HeaderLookup = (name: string) => string | null | undefined;

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer | null;
}

export interface Renderer {
  kind: Kind;
  /** The document for this snapshot; `now` decides whether signing is still open. */
  render: (statement: PublicStatement, now: number) => string;
  /** Headers that belong to the document (a Content-Security-Policy). */
  headers?: Record<string, string>;
}

interface Entry {
  statementId: number;
  version: number;
  /** Epoch ms after which the entry is stale (a signing deadline), or Infinity. */
  validUntil: number;
  etag: string;
  baseHeaders: Record<string, string>;
  identity: Variant;
  /** Compressed on first demand: browsers ask for gzip, benchmarks do not. */
  gzip?: Variant;
}

/** One representation with its headers built once, so that a hit only writes bytes. */
interface Variant {
  body: Buffer;
  headers: Record<string, string>;
  notModified: Record<string, string>;
  /** The same plus SECURITY_HEADERS, for the fast path that runs before express. */
  serverHeaders: Record<string, string>;
  serverNotModified: Record<string, string>;
}

const CONTENT_TYPE: Record<Kind, string> = { page: "text/html; charset=utf-8", json: "application/json; charset=utf-8" };
// Browsers keep the page but ask every time (a 304 costs a few bytes); API
// consumers may reuse an answer for a minute.
const CACHE_CONTROL: Record<Kind, string> = { page: "no-cache", json: "public, max-age=60" };
// What server.ts's middleware adds to every response; the fast path runs before it.
const MAX_ENTRIES = 64;
const PAGE_PATH = /^\/s\/([a-z0-9][a-z0-9-]{0,79})\/?(?:\?.*)?$/;

// server.ts (through tsx) and the Remix build each load their own copy of this
// module; the state lives on globalThis so the fast path sees what the route filed.
interface State {
  cache: Map<string, Entry>;
  statementIds: Map<string, number>;
  inflight: Map<string, Promise<Entry | undefined>>;
  renders: Record<Kind, number>;
}
const stateKey = Symbol.for("demarche.statementPages");
const state: State = ((globalThis as { [stateKey]?: State })[stateKey] ??= {
  cache: new Map(),
  statementIds: new Map(),
  inflight: new Map(),
  renders: { page: 0, json: 0 },
});
const { cache, statementIds, inflight, renders } = state;

/** How many times each kind was rendered from the database (tests read it). */
export function statementRenderCount(kind: Kind = "page"): number {
  return renders[kind];
}

/** A cached, current reply for the page of `slug`, or undefined (it must be rendered). */
export function cachedStatementPage(slug: string, header: HeaderLookup): Reply | undefined {
  const entry = cache.get(`page:${slug}`);
  return entry && isCurrent(entry) ? reply(entry, header) : undefined;
}

/**
 * For server.ts, ahead of express: writes a current cached page for GET/HEAD
 * /s/:slug to the response and returns true; returns false, having written nothing,
 * for anything else. Through express the same cached bytes ran at under a third of
 * this rate (bench/statement-page).
 */
export function serveCachedStatementPage(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const slug = PAGE_PATH.exec(req.url ?? "")?.[1];
  const entry = slug && cache.get(`page:${slug}`);
  if (!entry || !isCurrent(entry)) return false;
  const v = variant(entry, acceptsGzip(headerValue(req.headers["accept-encoding"])));
  if (matches(headerValue(req.headers["if-none-match"]), entry.etag)) res.writeHead(304, v.serverNotModified).end();
  else res.writeHead(200, v.serverHeaders).end(v.body);
  return true;
}

/** The reply for `slug`: from the cache when current, else rendered from the database; 404 for drafts and unknown slugs. */
export async function statementReply(db: DB, slug: string, header: HeaderLookup, renderer: Renderer): Promise<Reply> {
  const cached = cache.get(`${renderer.kind}:${slug}`);
  if (cached && isCurrent(cached)) return reply(cached, header);
  const entry = await renderOnce(db, slug, renderer);
  if (!entry) return { status: 404, headers: { "Cache-Control": "no-store" }, body: null };
  return reply(entry, header);
}

/** The reply as a fetch Response, for the Remix routes. */
export function toResponse(reply: Reply, extraHeaders: Record<string, string> = {}): Response {
  const body = reply.body && new Uint8Array(reply.body.buffer as ArrayBuffer, reply.body.byteOffset, reply.body.byteLength);
  return new Response(body, { status: reply.status, headers: { ...reply.headers, ...extraHeaders } });
}

function isCurrent(entry: Entry): boolean {
  return entry.version === knownStatementVersion(entry.statementId) && Date.now() < entry.validUntil;
}

// Concurrent misses share one render, but only with requests that arrived while the
// same version was the newest known: a render that began before a change was noted
// may have read the older data, so a request arriving after the change starts anew.
function renderOnce(db: DB, slug: string, renderer: Renderer): Promise<Entry | undefined> {
  const id = statementIds.get(slug);
  if (id === undefined) return render(db, slug, renderer);
  const key = `${renderer.kind}:${slug}#${knownStatementVersion(id) ?? "-"}`;
  let pending = inflight.get(key);
  if (!pending) {
    pending = render(db, slug, renderer).finally(() => inflight.delete(key));
    inflight.set(key, pending);
  }
  return pending;
}

async function render(db: DB, slug: string, { kind, render: toText, headers = {} }: Renderer): Promise<Entry | undefined> {
  const key = `${kind}:${slug}`;
  const statement = await findPublicStatement(db, slug);
  if (!statement) {
    cache.delete(key);
    return undefined;
  }
  renders[kind]++;
  // After a restart nothing is noted yet: the version just read is the newest.
  noteStatementVersion(statement.id, statement.version);
  statementIds.set(slug, statement.id);
  const now = Date.now();
  const body = Buffer.from(toText(statement, now), "utf8");
  const etag = `"${statement.id}-${statement.version}-${createHash("sha256").update(body).digest("base64url").slice(0, 16)}"`;
  const baseHeaders = { "Content-Type": CONTENT_TYPE[kind], "Cache-Control": CACHE_CONTROL[kind], Vary: "Accept-Encoding", ...headers };
  const entry: Entry = {
    statementId: statement.id,
    version: statement.version,
    validUntil: validUntil(statement, now),
    etag,
    baseHeaders,
    identity: makeVariant(baseHeaders, body, etag, null),
  };
  cache.delete(key); // re-inserted last: Map order doubles as least-recently-rendered order
  cache.set(key, entry);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return entry;
}

function validUntil(statement: PublicStatement, now: number): number {
  return signingEndsFor(statement, now) ?? Infinity;
}

function reply(entry: Entry, header: HeaderLookup): Reply {
  const v = variant(entry, acceptsGzip(header("accept-encoding")));
  if (matches(header("if-none-match"), entry.etag)) return { status: 304, headers: v.notModified, body: null };
  return { status: 200, headers: v.headers, body: v.body };
}

function variant(entry: Entry, gzip: boolean): Variant {
  if (!gzip) return entry.identity;
  return (entry.gzip ??= makeVariant(entry.baseHeaders, gzipSync(entry.identity.body), entry.etag.replace(/"$/, '-gz"'), "gzip"));
}

function makeVariant(base: Record<string, string>, body: Buffer, etag: string, encoding: "gzip" | null): Variant {
  const notModified = { ...base, ETag: etag };
  const headers = { ...notModified, ...(encoding ? { "Content-Encoding": encoding } : {}), "Content-Length": String(body.length) };
  return { body, headers, notModified, serverHeaders: { ...SECURITY_HEADERS, ...headers }, serverNotModified: { ...SECURITY_HEADERS, ...notModified } };
}

/** If-None-Match against either representation (identity or gzip) of the entry. */
function matches(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = etag.slice(1, -1);
  return ifNoneMatch.split(",").some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, "");
    return tag === "*" || tag === `"${bare}"` || tag === `"${bare}-gz"`;
  });
}

function acceptsGzip(acceptEncoding: string | null | undefined): boolean {
  if (!acceptEncoding) return false;
  return acceptEncoding.split(",").some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    if (coding.trim() !== "gzip" && coding.trim() !== "*") return false;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    return q === undefined || Number(q) > 0;
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}
