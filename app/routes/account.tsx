import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ErrorList, Field } from "~/components/forms";
import { createApiToken, listApiTokens, revokeApiToken } from "~/models/api-token.server";
import { changePassword } from "~/models/user.server";
import { ApiTokenSchema, ChangePasswordSchema } from "~/schemas/auth.server";
import { getDb } from "~/platform/db.server";
import { invalid } from "~/web/forms.server";
import { parseForm } from "~/schemas/form.server";
import { clientIp, endOtherSessions } from "~/platform/session.server";
import { requireUser } from "~/web/guards.server";
import { answering, tamperedForm } from "~/web/respond.server";
import { assertCoordinator, isCoordinator } from "~/models/permissions.server";

export const meta: MetaFunction = () => [{ title: "Your account · Demarche" }];

export const loader = /* @__PURE__ */ answering(async ({ request }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const coordinator = isCoordinator(user);
  const tokens = coordinator ? await listApiTokens(getDb(), user.id) : [];
  return { user, tokens, coordinator };
});

export const action = /* @__PURE__ */ answering(async ({ request }: ActionFunctionArgs) => {
  const db = getDb();
  const user = await requireUser(request, db);
  const form = await request.formData();
  const intent = form.get("intent");
  const ip = clientIp(request);
  if (intent === "change-password") {
    const parsed = parseForm(ChangePasswordSchema, form);
    if (!parsed.ok) return invalid({ ...parsed, formErrors: parsed.formErrors });
    const result = await changePassword(db, user.id, parsed.data.currentPassword, parsed.data.newPassword, ip);
    if (!result.ok) return invalid({ errors: { [result.field]: [result.message] }, formErrors: [], values: {} });
    await endOtherSessions(db, request, user.id);
    return redirect("/account?password=changed");
  }
  assertCoordinator(user, "manage API tokens");
  if (intent === "create-token") {
    const parsed = parseForm(ApiTokenSchema, form);
    if (!parsed.ok) return invalid(parsed);
    // Shown once, in this response only; it is not stored in a readable form.
    const token = await createApiToken(db, user, parsed.data.name, ip);
    return data({ ok: true as const, newToken: token, tokenName: parsed.data.name });
  }
  if (intent === "revoke-token") {
    await revokeApiToken(db, user, Number(form.get("tokenId")), ip);
    return redirect("/account?token=revoked");
  }
  throw tamperedForm();
});

export default function Account() {
  const { user, tokens, coordinator } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors = actionData && "errors" in actionData ? actionData.errors : {};
  const values = actionData && "values" in actionData ? actionData.values : {};
  return (
    <section>
      <p className="breadcrumbs"><Link to="/">Home</Link> / Your account</p>
      <h1>Your account</h1>
      <dl className="facts">
        <dt>Name</dt><dd>{user.name}</dd>
        <dt>Email</dt><dd>{user.email}</dd>
        <dt>Role</dt><dd>{user.role}</dd>
      </dl>

      <h2 id="password">Change password</h2>
      {params.get("password") === "changed" ? <p className="flash" role="status">Your password was changed. Other sessions were signed out.</p> : null}
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="intent" value="change-password" />
        <Field label="Current password" errors={errors.currentPassword} inputProps={{ name: "currentPassword", type: "password", autoComplete: "current-password" }} />
        <Field label="New password" hint="At least 12 characters." errors={errors.newPassword} inputProps={{ name: "newPassword", type: "password", autoComplete: "new-password" }} />
        <Field label="Repeat new password" errors={errors.confirmPassword} inputProps={{ name: "confirmPassword", type: "password", autoComplete: "new-password" }} />
        <button type="submit">Change password</button>
      </Form>

      {coordinator ? (
        <>
          <h2 id="tokens">API tokens</h2>
          <p className="muted">For scripts using the JSON API: send <code>Authorization: Bearer &lt;token&gt;</code>. Read-only public endpoints need no token.</p>
          {actionData && "newToken" in actionData ? (
            <div className="flash" role="status">
              <p>Token “{actionData.tokenName}” created. Copy it now: it will not be shown again.</p>
              <p className="secret" data-testid="new-token">{actionData.newToken}</p>
            </div>
          ) : null}
          {params.get("token") === "revoked" ? <p className="flash" role="status">The token was revoked.</p> : null}
          <Form method="post" className="toolbar" noValidate>
            <input type="hidden" name="intent" value="create-token" />
            <Field label="Token name" hint="What will use it, e.g. “coalition website”." errors={errors.name} inputProps={{ name: "name", defaultValue: values.name }} />
            <button type="submit">Create token</button>
          </Form>
          <ErrorList errors={actionData && "formErrors" in actionData ? actionData.formErrors : undefined} />
          {tokens.length === 0 ? (
            <p className="empty">You have no API tokens.</p>
          ) : (
            <table>
              <thead><tr><th>Name</th><th>Starts with</th><th>Created</th><th>Last used</th><th>Status</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
              <tbody>
                {tokens.map((t) => (
                  <tr key={t.id}>
                    <td>{t.name}</td>
                    <td><code>{t.token_prefix}…</code></td>
                    <td>{t.created_at.slice(0, 16).replace("T", " ")}</td>
                    <td>{t.last_used_at ? t.last_used_at.slice(0, 16).replace("T", " ") : "never"}</td>
                    <td>{t.revoked_at ? <span className="badge bad">revoked</span> : <span className="badge ok">active</span>}</td>
                    <td>
                      {t.revoked_at ? null : (
                        <Form method="post">
                          <input type="hidden" name="intent" value="revoke-token" />
                          <input type="hidden" name="tokenId" value={t.id} />
                          <button type="submit" className="secondary" aria-label={`Revoke token ${t.name}`}>Revoke</button>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : null}
    </section>
  );
}
