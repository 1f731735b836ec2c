// Form pieces shared by every page: a labelled field whose errors sit beside it and
// are announced (aria-invalid + aria-describedby), a list for form-wide errors, and
// the select a list page filters by.
import { useId, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from "react";

import type { FieldErrors } from "~/lib/field-errors";
import { SearchableSelect } from "./searchable-select";

/** A label's words, for the search box's own label. */
function labelText(label: ReactNode): string {
  if (typeof label === "string" || typeof label === "number") return String(label);
  if (Array.isArray(label)) return label.map(labelText).join("");
  if (label && typeof label === "object" && "props" in label) return labelText((label as { props: { children?: ReactNode } }).props.children);
  return "the list";
}

export function ErrorList({ id, errors }: { id?: string; errors?: string[] | null }) {
  const list = (errors ?? []).filter(Boolean);
  if (list.length === 0) return null;
  return (
    <ul id={id} className="errors" role="alert">
      {list.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  );
}

/** Label, hint and errors around one control, with the ids that tie them together. */
function FieldShell({ id, label, hint, errors, children }: {
  id?: string;
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  children: (a11y: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode;
}) {
  const fallback = useId();
  const controlId = id ?? fallback;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = errors?.length ? `${controlId}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={controlId}>{label}</label>
      {hint ? <div id={hintId} className="hint">{hint}</div> : null}
      {children({
        id: controlId,
        "aria-invalid": errorId ? true : undefined,
        "aria-describedby": [hintId, errorId].filter(Boolean).join(" ") || undefined,
      })}
      <ErrorList id={errorId} errors={errors} />
    </div>
  );
}

type FieldProps = {
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  inputProps: InputHTMLAttributes<HTMLInputElement> & { name: string };
};

export function Field({ label, hint, errors, inputProps }: FieldProps) {
  return (
    <FieldShell id={inputProps.id} label={label} hint={hint} errors={errors}>
      {(a11y) => <input {...a11y} {...inputProps} id={a11y.id} />}
    </FieldShell>
  );
}

type TextAreaProps = {
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  textareaProps: TextareaHTMLAttributes<HTMLTextAreaElement> & { name: string };
};

export function TextAreaField({ label, hint, errors, textareaProps }: TextAreaProps) {
  return (
    <FieldShell id={textareaProps.id} label={label} hint={hint} errors={errors}>
      {(a11y) => <textarea {...a11y} {...textareaProps} id={a11y.id} />}
    </FieldShell>
  );
}

type SelectProps = {
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  name: string;
  defaultValue?: string;
  options: { value: string; label: string }[];
  id?: string;
  onChange?: (value: string) => void;
};

/** Lists longer than this get a search box once the page's script runs. */
const SEARCHABLE_FROM = 25;

export function SelectField({ label, hint, errors, name, defaultValue, options, id, onChange }: SelectProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors}>
      {(a11y) => options.length >= SEARCHABLE_FROM ? (
        <SearchableSelect a11y={a11y} label={labelText(label)} name={name} defaultValue={defaultValue} options={options} onChange={onChange} />
      ) : (
        <select {...a11y} name={name} defaultValue={defaultValue} onChange={onChange ? (e) => onChange(e.currentTarget.value) : undefined}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

type FilterProps = {
  label: string;
  name: string;
  value: string | number | null | undefined;
  /** The blank choice's words: "All statements", "Any status". */
  all: string;
  options: { value: string | number; label: string }[];
};

/** A list page's filter (a GET form): a labelled select whose blank choice means "not filtering". */
export function FilterSelect({ label, name, value, all, options }: FilterProps) {
  return (
    <label>{label}{" "}
      <select name={name} defaultValue={value ?? ""}>
        <option value="">{all}</option>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </label>
  );
}
