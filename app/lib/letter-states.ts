// A state's letter messages in words, for the board, the map's titles and the state page:
// "1 delivered · 1 bounced · 1 automatic answer".
const WORDS: Record<string, [string, string]> = {
  queued: ["letter queued", "letters queued"], sending: ["being sent", "being sent"], uncertain: ["uncertain", "uncertain"], failed: ["failed", "failed"],
  sent: ["sent, not yet confirmed", "sent, not yet confirmed"], delivered: ["delivered", "delivered"], delayed: ["delayed", "delayed"],
  "soft-bounced": ["bounced for now", "bounced for now"], bounced: ["bounced", "bounced"],
};

export function letterStatesInWords(states: Partial<Record<string, number>>, autoReplies: number): string {
  const parts = Object.entries(states).filter(([, n]) => n).map(([state, n]) => `${n} ${WORDS[state]?.[n === 1 ? 0 : 1] ?? state}`);
  if (autoReplies) parts.push(`${autoReplies} automatic ${autoReplies === 1 ? "answer" : "answers"}`);
  return parts.join(" · ");
}
