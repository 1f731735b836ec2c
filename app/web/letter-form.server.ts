// The two letter forms (one letter; letters for all countries) are read and answered
// alike: the signed-in person, the form parsed, and a refusal shown beside its field
// with what was typed and the signers that were ticked (a list of boxes is not one value).
import type { TypedResponse } from "@remix-run/node";
import type { z } from "zod";
import { changeContext, type ChangeContext } from "~/models/audit.server";
import { getDb, type DB } from "~/platform/db.server";
import { clientIp, type SessionUser } from "~/platform/session.server";
import { formValues, parseForm } from "~/schemas/form.server";
import { SHOW_SIGNERS } from "~/lib/letter-form";
import { invalid } from "./forms.server";
import { requireUser } from "./guards.server";
import { failure } from "./respond.server";

/**
 * A letter form's action: parses the form with `schema`, then `save` stores and answers
 * (a redirect). `aboveForm` names the fields the form does not show (the bulk form has no
 * country): their messages go above it.
 */
export async function letterFormAction<S extends z.ZodTypeAny>(
  request: Request,
  schema: S,
  save: (db: DB, user: SessionUser, ctx: ChangeContext, input: z.infer<S>) => Promise<TypedResponse<never>>,
  aboveForm: string[] = [],
) {
  const db = getDb();
  const user = await requireUser(request, db);
  const form = await request.formData();
  const keep = { signerIds: form.getAll("signerIds").map(String), senderChosen: false };
  // Without JavaScript, choosing the sender sends the form back: nothing is saved, and
  // the form returns with that organisation's signers and everything typed.
  if (form.get("intent") === SHOW_SIGNERS) return invalid({ errors: {}, formErrors: [], values: formValues(form) }, { ...keep, senderChosen: true }, 200);
  const parsed = parseForm(schema, form);
  if (!parsed.ok) return invalid(parsed, keep);
  try {
    return await save(db, user, changeContext(user, clientIp(request)), parsed.data);
  } catch (error) {
    return failure(error, form, { keep, aboveForm });
  }
}
