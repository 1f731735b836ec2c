import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiUser } from "~/web/api-auth.server";

// Who am I? Lets a script check its token before doing real work.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireApiUser(request);
  return Response.json({ id: user.id, email: user.email, name: user.name, role: user.role, organisationId: user.organisation_id });
}
