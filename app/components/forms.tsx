// Form pieces shared by every page: a labelled field whose errors sit beside it and
// are announced (aria-invalid + aria-describedby), and a list for form-wide errors.
import { useId, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from "react";

export type FieldErrors = Record<string, string[] | undefined>;

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

type FieldProps = {
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  inputProps: InputHTMLAttributes<HTMLInputElement> & { name: string };
};

export function Field({ label, hint, errors, inputProps }: FieldProps) {
  const fallback = useId();
  const id = inputProps.id ?? fallback;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? <div id={hintId} className="hint">{hint}</div> : null}
      <input
        id={id}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        {...inputProps}
      />
      <ErrorList id={errorId} errors={errors} />
    </div>
  );
}

type TextAreaProps = {
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  textareaProps: TextareaHTMLAttributes<HTMLTextAreaElement> & { name: string };
};

export function TextAreaField({ label, hint, errors, textareaProps }: TextAreaProps) {
  const fallback = useId();
  const id = textareaProps.id ?? fallback;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? <div id={hintId} className="hint">{hint}</div> : null}
      <textarea
        id={id}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        {...textareaProps}
      />
      <ErrorList id={errorId} errors={errors} />
    </div>
  );
}

type SelectProps = {
  label: ReactNode;
  errors?: string[];
  name: string;
  defaultValue?: string;
  options: { value: string; label: string }[];
  id?: string;
};

export function SelectField({ label, errors, name, defaultValue, options, id: givenId }: SelectProps) {
  const fallback = useId();
  const id = givenId ?? fallback;
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={defaultValue} aria-invalid={errorId ? true : undefined} aria-describedby={errorId}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorList id={errorId} errors={errors} />
    </div>
  );
}
