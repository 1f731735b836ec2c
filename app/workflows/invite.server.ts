// Inviting = recording the invitation and emailing its link. If the email cannot be
// sent, the invitation is withdrawn again, so no one is left with a link they never got.
import { createInvitation, revokeInvitation, type NewInvitation } from "~/models/invitation.server";
import type { DB } from "~/platform/db.server";
import { loadEnv } from "~/platform/env.server";
import { sendMail } from "~/models/outbox/notices.server";
import { renderEmail } from "~/platform/templates.server";

export type InviteOutcome = { ok: true; email: string } | { ok: false; field?: "email" | "organisationId"; message: string };

export async function inviteAndNotify(
  db: DB,
  inviter: { id: number; email: string; name: string },
  input: NewInvitation,
  ip: string | null,
): Promise<InviteOutcome> {
  const created = await createInvitation(db, inviter, input, ip);
  if (!created.ok) return created;
  const env = loadEnv();
  try {
    const message = renderEmail("invitation", {
      inviteeName: input.name,
      inviterName: inviter.name,
      role: input.role,
      organisationName: created.organisationName,
      acceptUrl: `${env.baseUrl}/invitations/${created.token}`,
      expiresAt: formatExpiry(created.expiresAt),
      appName: "Demarche",
    });
    await sendMail(db, { to: [{ name: input.name, address: input.email }], ...message });
  } catch (error) {
    await revokeInvitation(db, inviter, created.invitationId, ip);
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `The invitation email could not be sent, so no invitation was made. (${reason})` };
  }
  return { ok: true, email: input.email };
}

function formatExpiry(iso: string): string {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(new Date(iso)) + " UTC";
}
