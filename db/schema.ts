// The database as Kysely sees it. Nullable columns are `T | null`, never optional;
// ids and defaulted columns are Generated so inserts may omit them.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** ISO date (YYYY-MM-DD) or ISO timestamp stored as text. */
type Timestamp = ColumnType<string, string | undefined, string>;

export type Role = "coordinator" | "member";
export type RegionalGroup =
  | "african"
  | "asia-pacific"
  | "eastern-european"
  | "latin-american-caribbean"
  | "western-european-other";
export type RomeStatuteInstrument = "ratification" | "accession" | "acceptance" | "approval" | "succession";

export interface SettingsTable {
  key: string;
  value: string;
}

export interface ReferenceDatasetsTable {
  name: string;
  source: string;
  as_of: string;
  loaded_at: Timestamp;
}

export interface CountriesTable {
  code: string;
  alpha3: string;
  name: string;
  regional_group: RegionalGroup | null;
  rs_instrument: RomeStatuteInstrument | null;
  rs_deposited: string | null;
  rs_entry_into_force: string | null;
  rs_withdrawal_notified: string | null;
  rs_withdrawal_effective: string | null;
}

export interface OrganisationsTable {
  id: Generated<number>;
  name: string;
  acronym: string | null;
  country_code: string | null;
  website: string | null;
  contact_email: string | null;
  postal_address: string | null;
  city: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SignersTable {
  id: Generated<number>;
  organisation_id: number;
  name: string;
  title: string;
  position: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: Role;
  organisation_id: number | null;
  password_hash: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id_hash: string;
  user_id: number;
  created_at: Timestamp;
  expires_at: string;
}

export interface InvitationsTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: Role;
  organisation_id: number | null;
  token_hash: string;
  invited_by: number | null;
  created_at: Timestamp;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
}

/** A one-time sign-in link sent by email; only the token's hash is kept. */
export interface SignInLinksTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  created_at: Timestamp;
  expires_at: string;
  used_at: string | null;
  requested_ip: string | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  token_prefix: string;
  created_at: Timestamp;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_user_id: number | null;
  actor_email: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  detail: string | null;
  ip: string | null;
}

export interface MailboxMessagesTable {
  id: Generated<number>;
  captured_at: Timestamp;
  message_id: string;
  from_address: string;
  to_addresses: string;
  cc_addresses: ColumnType<string, string | undefined, string>;
  reply_to: string | null;
  subject: string;
  text_body: string | null;
  html_body: string | null;
  raw: Buffer;
}

export interface MailboxAttachmentsTable {
  id: Generated<number>;
  message_id: number;
  filename: string;
  content_type: string;
  size: number;
  content: Buffer;
}

export type StatementStatus = "draft" | "open" | "closed" | "published";
export type SignatureStatus = "unverified" | "pending" | "approved" | "rejected" | "withdrawn" | "removed";

export interface StatementsTable {
  id: Generated<number>;
  slug: string;
  title: string;
  statement_date: string;
  author_organisation_id: number | null;
  language: ColumnType<string, string | undefined, string>;
  body_markdown: ColumnType<string, string | undefined, string>;
  lead_in: ColumnType<string, string | undefined, string>;
  status: ColumnType<StatementStatus, StatementStatus | undefined, StatementStatus>;
  signing_deadline: string | null;
  published_at: string | null;
  text_updated_at: string | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface StatementPointsTable {
  id: Generated<number>;
  statement_id: number;
  position: number;
  text: string;
}

export interface StatementFootnotesTable {
  id: Generated<number>;
  statement_id: number;
  mark: string;
  text: string;
}

export interface SignaturesTable {
  id: Generated<number>;
  statement_id: number;
  organisation_id: number | null;
  organisation_name: string;
  display_name: string | null;
  acronym: string | null;
  country_code: string | null;
  website: string | null;
  contact_name: string | null;
  contact_title: string | null;
  contact_email: string | null;
  note: string | null;
  name_key: string;
  email_domain: string | null;
  footnote_mark: string | null;
  status: SignatureStatus;
  source: "form" | "import";
  consent_at: string | null;
  verify_token_hash: string | null;
  verify_expires_at: string | null;
  verified_at: string | null;
  withdraw_token_hash: string | null;
  decided_at: string | null;
  decided_by: number | null;
  rejection_reason: string | null;
  withdrawn_at: string | null;
  removed_at: string | null;
  ip: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type RecipientKind = "addressee" | "copy";

/** Someone a country's letters go to: addressed (address block, salutation) or copied (CC list). */
export interface RecipientsTable {
  id: Generated<number>;
  country_code: string;
  name: string;
  title: string;
  institution: string | null;
  email: string | null;
  salutation: string | null;
  /** BCP 47 tag of the letter's language (en, nb). */
  language: ColumnType<string, string | undefined, string>;
  kind: RecipientKind;
  /** Order within the kind, dense from 0. */
  position: ColumnType<number, number | undefined, number>;
  /** YYYY-MM-DD: the day someone last confirmed the entry. */
  checked_on: string;
  /** Another recipient of the same country (the embassy, the mission in The Hague) to write to when this address bounces. */
  fallback_recipient_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Which countries an organisation covers (writes to), as a coordinator assigned them. */
export interface OrganisationCountriesTable {
  organisation_id: number;
  country_code: string;
  created_at: Timestamp;
}

export type LetterStatus = "draft";

/** A cover letter as saved: what it was built from, and what it rendered to. */
export interface LettersTable {
  id: Generated<number>;
  statement_id: number;
  country_code: string;
  /** The sending organisation. */
  organisation_id: number;
  /** JSON array of signer ids, in signing order. */
  signer_ids: string;
  place: string;
  /** YYYY-MM-DD. */
  letter_date: string;
  language: string;
  /** The sender's own subject, or null for the template's default. */
  subject: string | null;
  own_paragraph: string | null;
  status: ColumnType<LetterStatus, LetterStatus | undefined, LetterStatus>;
  rendered_subject: string;
  rendered_html: string;
  rendered_text: string;
  rendered_email_subject: string;
  rendered_email_html: string;
  rendered_email_text: string;
  /** sha256 over fingerprint_parts. */
  fingerprint: string;
  /** JSON: one sha256 per source (statement, recipients, sender, templates, letter). */
  fingerprint_parts: string;
  generated_at: string;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** The fingerprint the letter had when approved: approved while it still equals `fingerprint`. */
  approved_fingerprint: ColumnType<string | null, string | null | undefined, string | null>;
  /** A user id (no foreign key; see the outreach migration). */
  approved_by: ColumnType<number | null, number | null | undefined, number | null>;
  approved_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON RecipientSwap[]: fallbacks put in place of bouncing recipients in this letter, in order. */
  recipient_swaps: ColumnType<string, string | undefined, string>;
}
/** In one letter, recipient `by` (a fallback) takes the place of recipient `replaced`. */
export interface RecipientSwap {
  replaced: number;
  by: number;
}

export interface Database {
  settings: SettingsTable;
  reference_datasets: ReferenceDatasetsTable;
  countries: CountriesTable;
  organisations: OrganisationsTable;
  signers: SignersTable;
  users: UsersTable;
  sessions: SessionsTable;
  invitations: InvitationsTable;
  sign_in_links: SignInLinksTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  mailbox_messages: MailboxMessagesTable;
  inbound_messages: InboundMessagesTable;
  mailbox_cursors: MailboxCursorsTable;
  job_leases: JobLeasesTable;
  mailbox_attachments: MailboxAttachmentsTable;
  statements: StatementsTable;
  statement_points: StatementPointsTable;
  statement_footnotes: StatementFootnotesTable;
  signatures: SignaturesTable;
  recipients: RecipientsTable;
  organisation_countries: OrganisationCountriesTable;
  letters: LettersTable;
  template_versions: TemplateVersionsTable;
  letter_pdfs: LetterPdfsTable;
  letter_batches: LetterBatchesTable;
  dispatches: DispatchesTable;
  sending_pauses: SendingPausesTable;
  dispatch_worker_lock: DispatchWorkerLockTable;
  outreach_events: OutreachEventsTable;
}

export type Country = Selectable<CountriesTable>;
export type Organisation = Selectable<OrganisationsTable>;
export type NewOrganisation = Insertable<OrganisationsTable>;
export type OrganisationUpdate = Updateable<OrganisationsTable>;
export type Signer = Selectable<SignersTable>;
export type User = Selectable<UsersTable>;
export type Invitation = Selectable<InvitationsTable>;
export type SignInLink = Selectable<SignInLinksTable>;
export type ApiToken = Selectable<ApiTokensTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type MailboxMessage = Selectable<MailboxMessagesTable>;
export type MailboxAttachment = Selectable<MailboxAttachmentsTable>;
export type Statement = Selectable<StatementsTable>;
export type StatementPoint = Selectable<StatementPointsTable>;
export type StatementFootnote = Selectable<StatementFootnotesTable>;
export type Signature = Selectable<SignaturesTable>;
export type NewSignature = Insertable<SignaturesTable>;
export type Recipient = Selectable<RecipientsTable>;
export type NewRecipient = Insertable<RecipientsTable>;
/**
 * An edited letter template (path under emails/letters). The latest version per path is
 * its current text; reverted_from is the version a revert copied, 0 = the file default.
 */
export interface TemplateVersionsTable {
  id: Generated<number>;
  path: string;
  body: string;
  version: number;
  /** Why it was changed, in the editor's words. */
  note: string | null;
  reverted_from: number | null;
  created_by: number | null;
  created_at: Timestamp;
}

export type OrganisationCountry = Selectable<OrganisationCountriesTable>;
export type TemplateVersion = Selectable<TemplateVersionsTable>;
export type Letter = Selectable<LettersTable>;

export type LetterPdfStatus = "queued" | "rendering" | "ready" | "failed";
/**
 * A letter's PDF, rendered in the background. Queued by triggers when a letter is saved
 * or its fingerprint changes; `fingerprint` is the letter fingerprint it is made from,
 * so a PDF serves only while it matches the letter's. `pdf` is set only when ready.
 */
export interface LetterPdfsTable {
  letter_id: number;
  fingerprint: string;
  status: ColumnType<LetterPdfStatus, LetterPdfStatus | undefined, LetterPdfStatus>;
  pdf: Buffer | null;
  error: string | null;
  queued_at: Timestamp;
  rendered_at: string | null;
}
export type LetterPdf = Selectable<LetterPdfsTable>;

/** A country a bulk run wrote no letter to, and why (the refusal, in the form's words). */
export interface LetterBatchSkip {
  country: string;
  reason: string;
}
/**
 * A bulk run of letters: one statement and sender to every country with an addressee.
 * letter_ids: JSON array of the letters it made; skipped: JSON array of LetterBatchSkip.
 */
export interface LetterBatchesTable {
  id: Generated<number>;
  statement_id: number;
  organisation_id: number;
  created_by: number | null;
  created_at: Timestamp;
  letter_ids: ColumnType<string, string | undefined, string>;
  skipped: ColumnType<string, string | undefined, string>;
}
export type LetterBatch = Selectable<LetterBatchesTable>;

/** letter: to a ministry; test: the same to its sender; notice: the platform's own mail (invitations, sign-on links). */
export type DispatchKind = "letter" | "test" | "notice";
export type DispatchStatus = "queued" | "sending" | "sent" | "failed" | "uncertain" | "cancelled";
export type DispatchDelivery = "delivered" | "delayed" | "soft-bounced" | "bounced";
export type InboundKind = "bounce" | "delivered" | "delayed" | "auto-reply" | "reply" | "unmatched";

export interface InboundMessagesTable {
  id: Generated<number>;
  received_at: Generated<string>;
  mailbox: string;
  uid_validity: number | null;
  uid: number | null;
  dedupe_key: string;
  message_id: string | null;
  from_address: string | null;
  subject: ColumnType<string, string | undefined, string>;
  sent_at: string | null;
  kind: InboundKind;
  token: string | null;
  dispatch_id: number | null;
  severity: "hard" | "soft" | null;
  status_code: string | null;
  diagnostic: string | null;
  recipient: string | null;
  raw: Buffer;
  raw_truncated: ColumnType<number, number | undefined, number>;
  /** Display name of the sender, one line. */
  from_name: string | null;
  /** The readable text (the text part, else the HTML as text), capped. */
  text_body: string | null;
  /** InboundAttachment[]: names, types and sizes; the bytes are parsed from raw when asked for. */
  attachments_json: ColumnType<string, string | undefined, string>;
  /** The (statement, state) it is about: from its letter, or where a coordinator attached it. */
  statement_id: number | null;
  country_code: string | null;
  /** What a coordinator did with it from the unmatched queue. */
  resolution: "attached" | "discarded" | null;
  resolved_by: number | null;
  resolved_at: string | null;
}
export interface InboundAttachment {
  filename: string;
  contentType: string;
  size: number;
}

/** A job that runs in one process at a time: who holds it, until when (ISO). */
export interface JobLeasesTable {
  name: string;
  owner: string;
  expires_at: string;
}

export interface MailboxCursorsTable {
  mailbox: string;
  uid_validity: number;
  last_uid: number;
  updated_at: Generated<string>;
}
export type MailMode = "sandbox" | "smtp";
/** A name and an address, as stored in dispatches' *_json columns. */
export interface StoredAddress {
  name: string;
  address: string;
}
/**
 * One outgoing message, stored whole as it was confirmed. dedupe_key is unique: for a
 * letter, (letter, recipient set); a test message gets its own key each time.
 * queued -> sending -> sent | failed; 'sending' with handed_at set means the message was
 * given to the mail server, so after a crash it becomes 'uncertain' (a person decides),
 * while 'sending' without handed_at goes back to 'queued'. Times are ISO 8601 UTC.
 * from_json / reply_to_json: StoredAddress; to_json / cc_json: StoredAddress[].
 */
export interface DispatchesTable {
  id: Generated<number>;
  dedupe_key: string;
  kind: DispatchKind;
  letter_id: number | null;
  /** The letter version confirmed; its PDF is attached only while it still matches. */
  letter_fingerprint: string | null;
  /** Null for notices only (a check constraint says so). */
  statement_id: number | null;
  country_code: string | null;
  organisation_id: number | null;
  /** Set on every row of one bulk send. */
  bulk_id: string | null;
  status: ColumnType<DispatchStatus, DispatchStatus | undefined, DispatchStatus>;
  /** The mode the sender confirmed; the worker never sends a row in another mode. */
  mode: MailMode;
  from_json: string;
  reply_to_json: string | null;
  to_json: string;
  cc_json: ColumnType<string, string | undefined, string>;
  subject: string;
  html: string;
  text: string;
  /** The letter PDF's file name, or null for no attachment. */
  attachment_filename: string | null;
  /** Our own Message-ID, fixed at queueing, so a message can be traced at the relay. */
  message_id: string;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: ColumnType<string, string | undefined, string>;
  handed_at: string | null;
  /** The last failure in words. */
  last_error: string | null;
  /** What came back about delivery (issue 12): null until a report or bounce arrives. */
  delivery: DispatchDelivery | null;
  delivery_detail: string | null;
  delivery_at: string | null;
  /** The server's reply to the last attempt (250 ... or the refusal). */
  smtp_response: string | null;
  mailbox_id: number | null;
  queued_by: number | null;
  queued_at: Timestamp;
  sent_at: string | null;
  /** Who confirmed an uncertain message, or retried a failed one. */
  resolved_by: number | null;
  resolved_at: string | null;
  updated_at: Timestamp;
}
export type Dispatch = Selectable<DispatchesTable>;

/** The single row naming the process that may send: "host:pid:random", and its last heartbeat (ISO). */
export interface DispatchWorkerLockTable {
  id: number;
  owner: string;
  heartbeat_at: string;
}

export interface SendingPausesTable {
  statement_id: number;
  paused_by: number | null;
  paused_at: Timestamp;
}

export type OutreachEventKind = "reply" | "meeting" | "follow_up" | "sent";
/**
 * Something that happened with a state after (or outside) sending: a reply received, a
 * meeting held, a follow-up to do by due_on (done when done_on is set), or a letter
 * sent outside Demarche. Dates are YYYY-MM-DD. attachment: an uploaded .eml or .pdf.
 */
export interface OutreachEventsTable {
  id: Generated<number>;
  statement_id: number;
  country_code: string;
  organisation_id: number | null;
  kind: OutreachEventKind;
  happened_on: string;
  due_on: string | null;
  done_on: string | null;
  /** From whom (a reply), with whom (a meeting). */
  correspondent: string | null;
  summary: ColumnType<string, string | undefined, string>;
  /** The reply text, pasted or taken from the uploaded .eml; meeting notes. */
  body: string | null;
  attachment_filename: string | null;
  attachment_type: string | null;
  attachment: Buffer | null;
  /** Set when the reply came in by mail (issue 12): the message it was read from. */
  inbound_message_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export type OutreachEvent = Selectable<OutreachEventsTable>;
