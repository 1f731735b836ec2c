// Keeps a page current while work it shows is under way (messages being sent, a PDF
// being made). With JavaScript: the loaders run again quietly every few seconds, so
// focus, scroll and half-filled form fields stay where the person left them. Without
// it: a meta refresh inside <noscript>, which only a browser without scripts obeys.
import { useEffect } from "react";
import { useRevalidator } from "@remix-run/react";

export function AutoRefresh({ active, seconds }: { active: boolean; seconds: number }) {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, seconds * 1000);
    return () => clearInterval(timer);
  }, [active, seconds, revalidator]);
  return active ? <noscript><meta httpEquiv="refresh" content={String(seconds)} /></noscript> : null;
}
