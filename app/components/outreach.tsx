// Outreach status as the pages show it: always a colour AND its label (colour alone
// fails people who cannot tell the colours apart, and printouts in grey).
import { letterStatesInWords } from "~/lib/letter-states";
import { OUTREACH_STATUS_COLOURS, OUTREACH_STATUS_LABELS, OUTREACH_STATUSES, type OutreachStatus } from "~/lib/outreach-status";

const swatch = (status: OutreachStatus) => ({
  display: "inline-block",
  width: ".85em",
  height: ".85em",
  marginRight: ".35em",
  verticalAlign: "-.1em",
  border: "1px solid #555",
  borderRadius: "2px",
  background: OUTREACH_STATUS_COLOURS[status],
});

export function OutreachBadge({ status }: { status: OutreachStatus }) {
  return (
    <span className="badge" data-status={status}>
      <span aria-hidden="true" style={swatch(status)} />
      {OUTREACH_STATUS_LABELS[status]}
    </span>
  );
}

/**
 * The legend of the map and the number of states per status, in one list. With a
 * status filter the counts still cover every status (they help choose the next
 * filter), so the list says so, names what the map and the table show, and dims the rest.
 */
export function OutreachLegend({ counts, shown }: { counts: Record<OutreachStatus, number>; shown?: OutreachStatus | null }) {
  return (
    <>
      {shown ? (
        <p className="muted" id="legend-note">
          States by status, all statuses counted. The map and the table show only: <strong>{OUTREACH_STATUS_LABELS[shown]}</strong>.
        </p>
      ) : null}
      <ul className="toolbar legend" aria-label="Legend and number of states per status" aria-describedby={shown ? "legend-note" : undefined} style={{ listStyle: "none", padding: 0 }}>
        {OUTREACH_STATUSES.map((s) => {
          const hidden = !!shown && s !== shown;
          return (
            <li key={s} data-status={s} data-shown={hidden ? "no" : "yes"} className={hidden ? "dimmed" : undefined}>
              <span aria-hidden="true" style={swatch(s)} />
              {OUTREACH_STATUS_LABELS[s]}: <strong>{counts[s]}</strong>
              {hidden ? <span className="visually-hidden"> (not shown)</span> : null}
            </li>
          );
        })}
      </ul>
    </>
  );
}


/** "1 delivered · 1 bounced · 1 automatic answer": each letter message's state, from what came back. */
export function LetterStates({ states, autoReplies }: { states: Partial<Record<string, number>>; autoReplies: number }) {
  const words = letterStatesInWords(states, autoReplies);
  return words ? <div className="muted" data-letters>{words}</div> : null;
}
