// Forms for sending letters and looking after the outbox. Every send is confirmed twice:
// the plan's digest (so what was shown is what is queued) and a ticked box (so a person,
// not a stray Enter key, says the recipients were checked). Ids arrive as text.
import { z } from "zod";

const DIGEST = /^[0-9a-f]{64}$/;
const STATUSES = ["queued", "sending", "sent", "failed", "uncertain", "cancelled"] as const;

const positiveId = (message: string) => z.coerce.number({ error: message }).int(message).positive(message);
const dispatchId = positiveId("Choose a message.");
const statementId = positiveId("Choose a statement.");
const recipientId = positiveId("Choose a recipient.");

// A digest that is missing or malformed means the page was not the confirmation page
// we served: the person is asked to look again, not told about hex strings.
const digest = z.string({ error: "The confirmation was incomplete. Check the details below and confirm again." })
  .regex(DIGEST, "The confirmation was incomplete. Check the details below and confirm again.");

export const confirmSendSchema = z.object({
  digest,
  confirm: z.literal("yes", { error: "Tick the box to confirm you have checked the recipients, the message and the attachment." }),
});

/** The buttons on a letter's page. */
export const letterIntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("regenerate") }),
  z.object({ intent: z.literal("approve") }),
  z.object({ intent: z.literal("withdraw-approval") }),
  z.object({ intent: z.literal("send-test") }),
  z.object({ intent: z.literal("cancel"), dispatchId }),
  z.object({ intent: z.literal("arrived"), dispatchId }),
  z.object({ intent: z.literal("resend"), dispatchId, confirm: z.string().optional() }),
  // A bouncing recipient's fallback in its place in this letter, and back (issue 12).
  z.object({ intent: z.literal("use-fallback"), recipientId }),
  z.object({ intent: z.literal("restore-recipient"), recipientId }),
], { error: "The form was incomplete. Reload the page and try again." });
export type LetterIntent = z.infer<typeof letterIntentSchema>;

/** The buttons on the outbox. */
export const outboxIntentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("pause"), statementId }),
  z.object({ intent: z.literal("resume"), statementId }),
  z.object({ intent: z.literal("cancel-statement"), statementId }),
  z.object({ intent: z.literal("cancel"), dispatchId }),
  z.object({ intent: z.literal("arrived"), dispatchId }),
  z.object({ intent: z.literal("resend"), dispatchId, confirm: z.string().optional() }),
], { error: "The form was incomplete. Reload the page and try again." });
export type OutboxIntent = z.infer<typeof outboxIntentSchema>;

/** The outbox's filters: ?statement=<id>&status=<status>&bulk=<uuid>; anything odd is ignored. */
export const outboxFilterSchema = z.object({
  statement: z.coerce.number().int().positive().optional().catch(undefined),
  status: z.enum(STATUSES).optional().catch(undefined),
  bulk: z.string().uuid().optional().catch(undefined),
});
export type OutboxFilters = z.infer<typeof outboxFilterSchema>;
