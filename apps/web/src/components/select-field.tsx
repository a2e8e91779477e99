import type { ReactNode } from "react";
import { FieldError } from "./ui";

/**
 * A labelled select. As a form field (the default) it carries its field error below
 * (id `<id>-error`); `inline` is the bare label-and-select filter bar above a table.
 */
export function SelectField({
  id,
  label,
  value,
  onChange,
  error,
  inline = false,
  children,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  inline?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={inline ? "inline-form" : "field"}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      >
        {children}
      </select>
      {!inline && <FieldError id={`${id}-error`} message={error} />}
    </div>
  );
}
