// One button in its own small POST form: the `intent` the page's action switches on,
// plus the hidden fields that say what it acts on (a recipient, a signer, a message).
// Row actions (move up, remove, mark checked) and the buttons of the sending panels
// are all this one form, so they post the same way and look the same.
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";

type Props = {
  intent: string;
  /** Hidden fields beside the intent; an undefined value is left out. */
  fields?: Record<string, string | number | undefined>;
  /** The accessible name when the visible text does not say which row it acts on. */
  label?: string;
  disabled?: boolean;
  className?: string;
  /** The route whose action it posts to, when not the page's own. */
  action?: string;
  children: ReactNode;
};

export function IntentButton({ intent, fields = {}, label, disabled, className, action, children }: Props) {
  return (
    <Form method="post" className="inline" action={action}>
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([name, value]) => (value === undefined ? null : <input key={name} type="hidden" name={name} value={value} />))}
      <button type="submit" className={className} disabled={disabled} aria-label={label}>{children}</button>
    </Form>
  );
}
