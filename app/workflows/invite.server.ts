// Inviting = recording the invitation and queueing its email, in one transaction (a
// transactional outbox): a crash leaves both or neither, and an email that cannot be
// built (a bad address) leaves no invitation behind, so no one holds a link they never got.
import { createInvitation, type NewInvitation } from "~/models/invitation.server";
import { atomically, type DB } from "~/platform/db.server";
import { loadEnv } from "~/platform/env.server";
import { isUnsendable, sendMail } from "~/models/outbox/notices.server";
import { renderEmail } from "~/platform/templates.server";

export type InviteOutcome = { ok: true; email: string } | { ok: false; field?: "email" | "organisationId"; message: string };

export async function inviteAndNotify(
  db: DB,
  inviter: { id: number; email: string; name: string },
  input: NewInvitation,
  ip: string | null,
): Promise<InviteOutcome> {
  const env = loadEnv();
  try {
    return await atomically(db, async (trx): Promise<InviteOutcome> => {
      const created = await createInvitation(trx, inviter, input, ip);
      if (!created.ok) return created;
      const message = renderEmail("invitation", {
        inviteeName: input.name,
        inviterName: inviter.name,
        role: input.role,
        organisationName: created.organisationName,
        acceptUrl: `${env.baseUrl}/invitations/${created.token}`,
        expiresAt: formatExpiry(created.expiresAt),
        appName: "Demarche",
      });
      await sendMail(trx, { to: [{ name: input.name, address: input.email }], ...message });
      return { ok: true, email: input.email };
    });
  } catch (error) {
    if (!isUnsendable(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `The invitation email could not be sent, so no invitation was made. (${reason})` };
  }
}

function formatExpiry(iso: string): string {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(new Date(iso)) + " UTC";
}
