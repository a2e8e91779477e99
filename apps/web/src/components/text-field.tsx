import type { InputHTMLAttributes } from "react";
import { FieldError } from "./ui";

type PassedInputProps = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "id" | "value" | "onChange" | "children"
>;

/** A labelled input with its field error below; the error's id is `<id>-error`. */
export function TextField({
  id,
  label,
  value,
  onChange,
  error,
  ...inputProps
}: PassedInputProps & {
  id: string;
  label: string;
  value: string | number;
  onChange: (value: string) => void;
  error?: string | undefined;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
        }}
        {...inputProps}
      />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}
