// A template's history with what each version changed: "+3 −1 lines" beside it, and
// the lines themselves (as text, added and removed marked for sight and for screen
// readers) in a disclosure, so "version 4" says what it did.
import { Link } from "@remix-run/react";

type Line = { kind: "added" | "removed" | "same"; text: string } | { kind: "folded"; count: number };
type Version = { version: number; note: string | null; revertedFrom: number | null; author: string | null; createdAt: string };
type Changes = { version: number; against: number; added: number; removed: number; lines: Line[] };

const MARK = { added: "+", removed: "−", same: " " } as const;
const SAID = { added: "added: ", removed: "removed: ", same: "" } as const;

export function TemplateChangesTable({ history, changes, current }: { history: Version[]; changes: Changes[]; current: number }) {
  const byVersion = new Map(changes.map((c) => [c.version, c]));
  return (
    <table>
      <thead><tr><th scope="col">Version</th><th scope="col">Saved</th><th scope="col">By</th><th scope="col">Note</th><th scope="col">What changed</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
      <tbody>
        {history.map((v) => {
          const c = byVersion.get(v.version);
          return (
            <tr key={v.version}>
              <td>{v.version}{v.version === current ? " (current)" : ""}</td>
              <td>{v.createdAt}</td>
              <td>{v.author ?? "—"}</td>
              <td>{v.revertedFrom === 0 ? "Back to the file" : v.revertedFrom ? `Reverted to version ${v.revertedFrom}` : v.note ?? ""}</td>
              <td>{c ? <ChangeSummary changes={c} /> : null}</td>
              <td>{v.version !== current && v.revertedFrom !== 0 ? <Link to={`?confirm=${v.version}`}>Revert to this version</Link> : null}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function ChangeSummary({ changes: c }: { changes: Changes }) {
  const against = c.against === 0 ? "the file" : `version ${c.against}`;
  if (c.added === 0 && c.removed === 0) return <span className="muted">{`Same text as ${against}`}</span>;
  return (
    <details>
      <summary>{`+${c.added} −${c.removed} lines against ${against}`}</summary>
      <pre className="template-diff">
        {c.lines.map((l, i) => l.kind === "folded"
          ? <span key={i} className="muted">{`… ${l.count} unchanged ${l.count === 1 ? "line" : "lines"} …\n`}</span>
          : <span key={i} className={`diff-${l.kind}`}><span className="visually-hidden">{SAID[l.kind]}</span>{`${MARK[l.kind]} ${l.text}\n`}</span>)}
      </pre>
    </details>
  );
}
