// Factories named by what the test needs: a coordinator, a member of an
// organisation, a signed-in request. They write real rows through the models.
import type { DB } from "../app/platform/db.server";
import type { Role } from "../db/schema";
import { hashPassword } from "../app/platform/password.server";
import { startSession } from "../app/platform/session.server";

let counter = 0;
const next = () => ++counter;

export async function createOrganisation(db: DB, overrides: Partial<{ name: string; acronym: string | null; country_code: string | null; contact_email: string | null; city: string | null }> = {}) {
  return db
    .insertInto("organisations")
    .values({ name: `Organisation ${next()}`, ...overrides })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export const TEST_PASSWORD = "correct horse battery staple";

export async function createUser(
  db: DB,
  { role = "coordinator", email, organisationId = null, password = TEST_PASSWORD }: { role?: Role; email?: string; organisationId?: number | null; password?: string } = {},
) {
  const n = next();
  return db
    .insertInto("users")
    .values({
      email: email ?? `user${n}@example.org`,
      name: `User ${n}`,
      role,
      organisation_id: organisationId,
      password_hash: await hashPassword(password),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A Cookie header for a fresh session of `userId`. */
export async function sessionCookie(db: DB, userId: number): Promise<string> {
  const setCookie = await startSession(db, new Request("http://127.0.0.1:3000/login"), userId);
  return setCookie.split(";")[0];
}

const BASE = "http://127.0.0.1:3000";

export function getRequest(path: string, cookie?: string, headers: Record<string, string> = {}) {
  return new Request(BASE + path, { headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers } });
}

export function postRequest(path: string, fields: Record<string, string | string[]>, cookie?: string) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
  return new Request(BASE + path, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: BASE, ...(cookie ? { Cookie: cookie } : {}) },
  });
}

/** Calls a Remix loader or action the way Remix would. */
export function call<T>(fn: (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => T, request: Request, params: Record<string, string> = {}) {
  return fn({ request, params, context: {} });
}

/** Unwraps what an action/loader returned or threw: a Response or `data()` result. */
export async function settle(promise: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  let value: any;
  try {
    value = await promise;
  } catch (thrown) {
    value = thrown;
  }
  if (value instanceof Response) {
    const text = await value.text();
    let body: unknown = text;
    try { body = JSON.parse(text); } catch { /* text body */ }
    return { status: value.status, body, headers: value.headers };
  }
  if (value && typeof value === "object" && value.type === "DataWithResponseInit") {
    return { status: value.init?.status ?? 200, body: value.data, headers: new Headers(value.init?.headers) };
  }
  if (value instanceof Error) throw value;
  return { status: 200, body: value, headers: new Headers() };
}
