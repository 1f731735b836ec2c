// Migrations are listed here rather than read from the folder at run time, so the
// same list works from the CLI, the server and the tests. Names sort by timestamp.
import type { Migration } from "kysely";
import * as skeleton from "./2026-11-23T20-30-00_skeleton";
import * as statements from "./2026-11-23T21-00-00_statements";
import * as recipients from "./2026-11-23T22-00-00_recipients";
import * as letters from "./2026-11-23T23-00-00_letters";
import * as templateVersions from "./2026-11-23T23-30-00_template-versions";
import * as letterPdfs from "./2026-11-24T00-00-00_letter-pdfs";
import * as letterBatches from "./2026-11-24T00-30-00_letter-batches";
import * as outreach from "./2026-11-24T01-00-00_outreach";
import * as signInLinks from "./2026-12-08T00-00-00_sign-in-links";
import * as inbound from "./2026-12-08T01-00-00_inbound";
import * as inboundReplies from "./2026-12-08T02-00-00_inbound-replies";
import * as recipientFallbacks from "./2026-12-08T03-00-00_recipient-fallbacks";
import * as jobLeases from "./2026-12-08T04-00-00_job-leases";

export const migrations: Record<string, Migration> = {
  "2026-11-23T20-30-00_skeleton": skeleton,
  "2026-11-23T21-00-00_statements": statements,
  "2026-11-23T22-00-00_recipients": recipients,
  "2026-11-23T23-00-00_letters": letters,
  "2026-11-23T23-30-00_template-versions": templateVersions,
  "2026-11-24T00-00-00_letter-pdfs": letterPdfs,
  "2026-11-24T00-30-00_letter-batches": letterBatches,
  "2026-11-24T01-00-00_outreach": outreach,
  "2026-12-08T00-00-00_sign-in-links": signInLinks,
  "2026-12-08T01-00-00_inbound": inbound,
  "2026-12-08T02-00-00_inbound-replies": inboundReplies,
  "2026-12-08T03-00-00_recipient-fallbacks": recipientFallbacks,
  "2026-12-08T04-00-00_job-leases": jobLeases,
};
