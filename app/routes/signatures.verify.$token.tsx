// /signatures/verify/:token: the link in the sign-on email. Opening it only shows a
// button; pressing the button (POST) confirms. Mail scanners that fetch every link
// in a message therefore cannot confirm a signature on someone's behalf.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { findVerifiable, verifySignature } from "~/models/signature.server";
import { getDb } from "~/platform/db.server";
import { clientIp } from "~/platform/session.server";

export const meta: MetaFunction = () => [{ title: "Confirm your signature · Demarche" }];

const GONE = "This confirmation link can no longer be used: it was already used, or it has expired (links last 48 hours). If your signature is not confirmed yet, sign the statement again to get a new link.";

export async function loader({ params }: LoaderFunctionArgs) {
  const row = await findVerifiable(getDb(), params.token ?? "");
  if (!row) throw new Response(GONE, { status: 410, statusText: "Gone" });
  return { organisation: row.organisation_name, statementTitle: row.statement_title };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const done = await verifySignature(getDb(), params.token ?? "", clientIp(request));
  if (!done) throw new Response(GONE, { status: 410, statusText: "Gone" });
  return redirect(`/s/${done.slug}/sign?verified=1`);
}

export default function VerifySignature() {
  const { organisation, statementTitle } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  return (
    <section>
      <h1>Confirm your signature</h1>
      <p>
        Confirm that <strong><bdi>{organisation}</bdi></strong> signs <strong>{statementTitle}</strong>. The coalition's
        coordinators then review the signature before it is listed.
      </p>
      <Form method="post">
        <button type="submit" disabled={busy}>Confirm the signature</button>
      </Form>
    </section>
  );
}
