// /signatures/withdraw/:token: the withdraw link in every email about a signature.
// GET asks for confirmation, POST withdraws: a prefetching mail scanner must not
// take an organisation off a statement.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { findWithdrawable, shownName, withdrawSignature } from "~/models/signature.server";
import { getDb } from "~/platform/db.server";
import { clientIp } from "~/platform/session.server";

export const meta: MetaFunction = () => [{ title: "Withdraw your signature · Demarche" }];

const GONE = "This withdraw link can no longer be used: the signature has already been withdrawn or removed, or a newer email about it carries a new link.";

export async function loader({ params }: LoaderFunctionArgs) {
  const row = await findWithdrawable(getDb(), params.token ?? "");
  if (!row) throw new Response(GONE, { status: 410, statusText: "Gone" });
  return { organisation: shownName(row), statementTitle: row.statement_title, listed: row.status === "approved" };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const done = await withdrawSignature(getDb(), params.token ?? "", clientIp(request));
  if (!done) throw new Response(GONE, { status: 410, statusText: "Gone" });
  return redirect(`/s/${done.slug}/sign?withdrawn=1`);
}

export default function WithdrawSignature() {
  const { organisation, statementTitle, listed } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  return (
    <section>
      <h1>Withdraw your signature</h1>
      <p>
        Withdraw the signature of <strong><bdi>{organisation}</bdi></strong> from <strong>{statementTitle}</strong>?
        {listed ? " It is taken off the public list of signatories at once." : " It will not be listed."}
      </p>
      <Form method="post">
        <button type="submit" className="danger" disabled={busy}>Withdraw the signature</button>
      </Form>
    </section>
  );
}
