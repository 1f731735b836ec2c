// The statuses a state can have on an outreach board, highest first. A state's status
// is derived from records (letters, dispatches, logged events), never set by hand: the
// first status in this list whose condition holds wins. Shared by the board, the map,
// the CSV export and the API, so their words and colours cannot drift.
export const OUTREACH_STATUSES = [
  "follow_up_due", // an open follow-up whose due date has come
  "meeting", // a meeting was held
  "replied", // the state answered
  "sent", // a letter was accepted by the mail server, or logged as sent outside Demarche
  "sending", // a letter is queued, being sent, or uncertain (waiting for a person)
  "failed", // the last letter could not be delivered
  "drafted", // a letter exists, nothing sent
  "not_started",
] as const;
export type OutreachStatus = (typeof OUTREACH_STATUSES)[number];

export const OUTREACH_STATUS_LABELS: Record<OutreachStatus, string> = {
  follow_up_due: "Follow-up due",
  meeting: "Meeting held",
  replied: "Replied",
  sent: "Sent",
  sending: "Sending",
  failed: "Failed",
  drafted: "Letter drafted",
  not_started: "Not started",
};

/** Map and badge fills: distinguishable with common colour-vision deficiencies (Okabe-Ito based), and always shown with their label. */
export const OUTREACH_STATUS_COLOURS: Record<OutreachStatus, string> = {
  follow_up_due: "#D55E00",
  meeting: "#009E73",
  replied: "#56B4E9",
  sent: "#0072B2",
  sending: "#F0E442",
  failed: "#CC79A7",
  drafted: "#E69F00",
  not_started: "#D9D9D9",
};
