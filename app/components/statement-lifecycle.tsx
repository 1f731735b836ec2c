// The statement's life cycle as a row of steps, the current one marked, each saying what
// is public and who can sign in it, and what the next step does: publishing takes
// opening, closing and publishing, and a coordinator should see that before starting.
import type { StatementStatus } from "../../db/schema";

const STEPS: { status: StatementStatus; name: string; what: string }[] = [
  { status: "draft", name: "Draft", what: "Only coordinators see it; write and correct the text." },
  { status: "open", name: "Open for signatures", what: "Public at its address; organisations sign on, you approve them." },
  { status: "closed", name: "Closed", what: "Still public; no new sign-ons; finish moderating and check the list." },
  { status: "published", name: "Published", what: "The final text and signatory list, ready to send with letters." },
];

const NEXT: Record<StatementStatus, string> = {
  draft: "Next: open it for signatures (below). Its address is then fixed and the sign-on form opens.",
  open: "Next: close it for signatures when signing should end (or set a deadline and it closes itself). Then publish.",
  closed: "Next: publish it. You will see everything that becomes public before you confirm; or reopen it for more signatures.",
  published: "Done. You can still reopen it for more signatures; it stays public meanwhile.",
};

export function StatementLifecycle({ status }: { status: StatementStatus }) {
  const current = STEPS.findIndex((s) => s.status === status);
  return (
    <section aria-labelledby="lifecycle-heading" className="lifecycle">
      <h2 id="lifecycle-heading">Life cycle</h2>
      <ol className="steps">
        {STEPS.map((step, i) => (
          <li key={step.status} aria-current={i === current ? "step" : undefined} data-done={i < current || undefined}>
            <strong>{i + 1}. {step.name}</strong>
            {i === current ? <span className="visually-hidden"> (now)</span> : null}
            <br /><span className="muted">{step.what}</span>
          </li>
        ))}
      </ol>
      <p data-testid="next-step">{NEXT[status]}</p>
    </section>
  );
}
