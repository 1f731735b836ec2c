// Timestamps as people read them: "23 Nov 2026, 23:46 UTC". Written by hand rather than
// with Intl: the server's and the browser's ICU disagree on small things (en-GB's
// "Sept" or "Sep"), and a difference between the two breaks hydration.
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * "23 Nov 2026, 23:46 UTC" for "2026-11-23T23:46:07.922Z" (or SQLite's
 * "2026-11-23 23:46:07", which is UTC too). Anything unreadable is returned as it came.
 */
export function timeInWords(iso: string): string {
  const normalised = /^\d{4}-\d{2}-\d{2} \d/.test(iso) ? `${iso.replace(" ", "T")}${/[zZ]|[+-]\d{2}:?\d{2}$/.test(iso) ? "" : "Z"}` : iso;
  const d = new Date(normalised);
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}

const longDate = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
/** "14 January 2025" for 2025-01-14 (or a timestamp on that day), the same on the server and in the browser. */
export const dayInWords = (iso: string) => longDate.format(new Date(`${iso.slice(0, 10)}T00:00:00Z`));

/**
 * A wait as people say it, rounded up: "1 minute", "45 minutes", "2 hours and 5 minutes",
 * "1 day". Anything under a minute is "1 minute" (nobody is asked to count seconds).
 */
export function durationInWords(seconds: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  if (minutes < 60) return unit(minutes, "minute");
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 24) return rest ? `${unit(hours, "hour")} and ${unit(rest, "minute")}` : unit(hours, "hour");
  return unit(Math.ceil(minutes / 1440), "day");
}
