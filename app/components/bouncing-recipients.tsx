// What a letter says before anyone sends it to an address that bounces (issue 12): the
// address, when it bounced and the reason given, and the way out: the recipient's fallback
// in its place in this letter (one button, which works without JavaScript), or, when it
// names none, the way to its entry to name one. And the fallbacks already in place, each
// with the button that puts the recipient back. Both post to the letter page's action.
import { Link } from "@remix-run/react";
import { type AddressStatus, addressStatusWords } from "~/lib/address-status";
import { IntentButton } from "./intent-button";

export type BouncingView = {
  recipientId: number;
  name: string;
  title: string;
  address: string;
  status: AddressStatus;
  fallback: { id: number; name: string; title: string; email: string | null; status: AddressStatus | null; unusable: string | null } | null;
};

export type SwapView = { replaced: { id: number; name: string; title: string }; by: { id: number; name: string; title: string } };

const reason = (status: AddressStatus) => (status.state === "bouncing" || status.state === "soft-bouncing" ? status.diagnostic : null);

export function BouncingRecipients({ list, letterId, countryCode }: { list: BouncingView[]; letterId: number; countryCode: string }) {
  if (list.length === 0) return null;
  const entry = (id: number) => `/countries/${countryCode}/recipients/${id}`;
  return (
    <div className="flash warn" role="alert" id="bouncing">
      <p><strong>{list.length === 1 ? "Mail to one of this letter's recipients bounces:" : `Mail to ${list.length} of this letter's recipients bounces:`}</strong></p>
      <ul>
        {list.map((b) => {
          const f = b.fallback;
          const why = reason(b.status);
          return (
            <li key={b.recipientId} data-bouncing={b.address}>
              <p>
                {b.name}, {b.title} <code>&lt;{b.address}&gt;</code>: {addressStatusWords(b.status)}.
                {why ? <> The reason given: <q>{why}</q>.</> : null}
              </p>
              {!f ? (
                <p>No fallback is named for {b.name}. <Link to={entry(b.recipientId)}>Name one on their entry</Link> (such as the embassy or the permanent mission in The Hague), or correct the address.</p>
              ) : f.unusable ? (
                <p>Their fallback, {f.name}, cannot take their place: {f.unusable} <Link to={entry(f.id)}>Edit {f.name}</Link></p>
              ) : (
                <p>
                  {f.status?.state === "bouncing" ? <>Their fallback&apos;s address is bouncing too ({addressStatusWords(f.status)}). </> : null}
                  <IntentButton intent="use-fallback" fields={{ recipientId: b.recipientId }} action={`/letters/${letterId}`}>
                    {`Write to ${f.name}, ${f.title}, instead (in this letter)`}
                  </IntentButton>
                </p>
              )}
            </li>
          );
        })}
      </ul>
      <p>You can still send it as it is; the message will most likely come back.</p>
    </div>
  );
}

export function LetterSwaps({ swaps, letterId }: { swaps: SwapView[]; letterId: number }) {
  if (swaps.length === 0) return null;
  return (
    <div className="flash" role="note" id="fallbacks">
      <p>In this letter, because mail to them bounced:</p>
      <ul>
        {swaps.map((s) => (
          <li key={`${s.replaced.id}-${s.by.id}`}>
            {s.by.name} ({s.by.title}) takes the place of {s.replaced.name} ({s.replaced.title}).{" "}
            <IntentButton intent="restore-recipient" fields={{ recipientId: s.replaced.id }} action={`/letters/${letterId}`} className="secondary">{`Put ${s.replaced.name} back`}</IntentButton>
          </li>
        ))}
      </ul>
    </div>
  );
}
