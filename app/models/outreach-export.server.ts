// The board out of Demarche: CSV for spreadsheets and JSON for the API, the same rows
// with the same words. The CSV neutralises cells a spreadsheet would run as a formula
// (a state's name cannot start with "=", but a logged summary or a correspondent can).
import { stringify } from "csv-stringify/sync";
import type { Board } from "./outreach.server";

const CSV_COLUMNS = ["code", "state", "regional_group", "state_party", "status", "status_label", "sent_by", "sent_on", "last_event", "last_event_on", "follow_up_due"] as const;

/** UTF-8 with a BOM and CRLF line ends, as the other exports, so Excel reads accents right. */
export function outreachCsv(board: Board): string {
  return stringify(
    board.rows.map((r) => [r.code, r.name, r.groupLabel, r.isParty ? "yes" : "no", r.status, r.statusLabel, r.sentBy ?? "", r.sentAt ?? "", r.lastEvent?.text ?? "", r.lastEvent?.on ?? "", r.followUpDue ?? ""]),
    { header: true, columns: [...CSV_COLUMNS], bom: true, record_delimiter: "windows", quote_record_delimiter: true, escape_formulas: true },
  );
}

export const outreachCsvFilename = (board: Board) => `outreach-${board.statement.slug}.csv`;

/** GET /api/statements/:slug/outreach. */
export function outreachJson(board: Board) {
  return {
    statement: board.statement.slug,
    statesPartiesOn: board.partiesOn,
    today: board.today,
    filters: board.filters,
    total: board.total,
    counts: board.counts,
    countsByGroup: board.byGroup.map((g) => ({ group: g.group, label: g.label, total: g.total, counts: g.counts })),
    countries: board.rows.map((r) => ({
      code: r.code,
      name: r.name,
      group: r.group,
      stateParty: r.isParty,
      status: r.status,
      statusLabel: r.statusLabel,
      sentBy: r.sentBy,
      sentAt: r.sentAt,
      lastEvent: r.lastEvent,
      followUpDue: r.followUpDue,
      letters: r.letterStates,
      replies: r.replies,
      autoReplies: r.autoReplies,
    })),
  };
}
