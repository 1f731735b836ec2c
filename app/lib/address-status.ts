// What is known of a recipient's address from the mail that came back (issue 12), as the
// pages say it. Derived, never typed: app/models/recipient-address-status.server.ts reads
// it from bounces and delivery reports. Here only the shape and the words, so the
// recipients page, the coverage page and the letter warnings say it the same way.
import { dayInWords } from "./time-in-words";

export type AddressStatus =
  /** Nothing has come back about the address. */
  | { state: "ok" }
  /** The last report about it was a delivery. */
  | { state: "delivered"; at: string }
  /** Temporary failures (4.x.x) since the last delivery, fewer than make it bouncing. */
  | { state: "soft-bouncing"; count: number; at: string; diagnostic: string | null }
  /** A permanent failure (5.x.x), or enough temporary ones in a row, since the last delivery. */
  | { state: "bouncing"; hard: boolean; count: number; at: string; diagnostic: string | null };

export type AddressState = AddressStatus["state"];

/** Temporary failures in a row, with no delivery between, after which an address counts as bouncing. */
export const SOFT_BOUNCES_TO_BOUNCING = 3;

const failures = (n: number) => (n === 1 ? "1 temporary failure" : `${n} temporary failures`);

/** What follows the state's name: "refused on 8 December 2026". The diagnostic is left to the page (not everyone sees it). */
export function addressStatusDetail(status: AddressStatus): string {
  switch (status.state) {
    case "ok":
      return "nothing has come back";
    case "delivered":
      return `reported on ${dayInWords(status.at)}`;
    case "soft-bouncing":
      return `${failures(status.count)}, the last on ${dayInWords(status.at)}`;
    case "bouncing":
      return status.hard ? `refused on ${dayInWords(status.at)}` : `${failures(status.count)} in a row, the last on ${dayInWords(status.at)}`;
  }
}

/** "bouncing: refused on 8 December 2026". */
export const addressStatusWords = (status: AddressStatus): string => `${status.state}: ${addressStatusDetail(status)}`;
