// Flash messages for the actions on a message (cancel, it arrived, send again). Shared by
// the outbox and the letter page, and read in the browser too: not a .server module,
// which Remix leaves out of the client bundle.
export const ACT_FLASH: Record<string, string> = {
  cancelled: "The message was cancelled; it will not be sent.",
  "not-cancelled": "Nothing was cancelled: the message was no longer waiting in the queue (it may be on its way already).",
  arrived: "Marked as sent: you confirmed the message arrived.",
  resent: "The message is queued again, with the same Message-ID.",
};
