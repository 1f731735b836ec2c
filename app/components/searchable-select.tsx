// A long select (130 to 200 countries or organisations) that can be searched. Without
// JavaScript it is the plain select. Once the page's script runs, a search box above it
// narrows the options as the person types (accents and case ignored); Enter picks the
// only match, Arrow Down moves to the list. The select stays the field that is
// submitted, so the form reads the same either way.
import { useEffect, useRef, useState } from "react";

type Option = { value: string; label: string };

const fold = (s: string) => s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

export function SearchableSelect({ a11y, label, name, defaultValue, options, onChange }: {
  a11y: { id: string; "aria-invalid"?: true; "aria-describedby"?: string };
  label: string;
  name: string;
  defaultValue?: string;
  options: Option[];
  onChange?: (value: string) => void;
}) {
  const select = useRef<HTMLSelectElement>(null);
  const [enhanced, setEnhanced] = useState(false);
  const [query, setQuery] = useState("");
  const [value, setValue] = useState(defaultValue ?? "");
  // After hydration: from now on the list can be narrowed; keep what was chosen before.
  useEffect(() => {
    setEnhanced(true);
    if (select.current) setValue(select.current.value);
  }, []);
  const needle = fold(query.trim());
  const matches = needle ? options.filter((o) => o.value !== "" && (fold(o.label).includes(needle) || fold(o.value) === needle)) : options;
  // The chosen option and the blank one stay, so narrowing never changes the answer.
  const shown = needle ? options.filter((o) => o.value === "" || o.value === value || matches.includes(o)) : options;
  const choose = (next: string) => {
    setValue(next);
    onChange?.(next);
  };
  return (
    <>
      {enhanced ? (
        <input
          type="search"
          className="select-search"
          // Its own name, so it is never mistaken for the field; the description says which list.
          aria-label="Find in the list"
          aria-describedby={`${a11y.id}-find`}
          aria-controls={a11y.id}
          placeholder="Type to narrow the list"
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault(); // not a submit: the person is still choosing
              if (matches.length === 1 && select.current) {
                select.current.value = matches[0].value;
                choose(matches[0].value);
              }
            } else if (e.key === "ArrowDown") {
              e.preventDefault();
              select.current?.focus();
            }
          }}
        />
      ) : null}
      {enhanced ? <span id={`${a11y.id}-find`} className="visually-hidden">{`Narrows the choices of ${label}`}</span> : null}
      {enhanced && needle ? <p className="hint" role="status">{matches.length === 0 ? "Nothing matches." : `${matches.length} ${matches.length === 1 ? "match" : "matches"}`}</p> : null}
      <select ref={select} {...a11y} name={name} defaultValue={defaultValue} onChange={(e) => choose(e.currentTarget.value)}>
        {shown.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
    </>
  );
}
