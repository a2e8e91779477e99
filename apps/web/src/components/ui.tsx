"use client";

import { useState, type ReactNode } from "react";
import { describeError, type FieldErrors } from "../lib/console-error";

export function ErrorNote({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  return (
    <p className="form-error" role="alert">
      {describeError(error)}
    </p>
  );
}

/** A request's error, unless it names fields: then the fields show it (see FieldError). */
export function FormErrorNote({
  error,
  fieldErrors,
}: {
  error: unknown;
  fieldErrors: FieldErrors;
}) {
  return Object.keys(fieldErrors).length === 0 ? <ErrorNote error={error} /> : null;
}

/** A form's submit handler that runs `action` in place of a page navigation. */
export function submitWith(action: () => void) {
  return (event: { preventDefault(): void }) => {
    event.preventDefault();
    action();
  };
}

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <span id={id} className="field-error" role="alert">
      {message}
    </span>
  );
}

export function Loading({ when, children }: { when: boolean; children: ReactNode }) {
  return when ? <p className="muted">Loading…</p> : <>{children}</>;
}

export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="secondary"
      onClick={() => {
        void navigator.clipboard.writeText(value).then(
          () => {
            setCopied(true);
          },
          () => {
            setCopied(false);
          },
        );
      }}
    >
      {copied ? "Copied" : label}
    </button>
  );
}

/** A secret shown exactly once: it lives in component state only, never in the cache. */
export function OneTimeSecret({
  title,
  value,
  onDone,
}: {
  title: string;
  value: string;
  onDone: () => void;
}) {
  return (
    <div className="one-time" role="status">
      <p>
        <strong>{title}</strong> It is shown once; copy it now.
      </p>
      <code className="secret" data-testid="one-time-secret">
        {value}
      </code>
      <div className="actions">
        <CopyButton value={value} label="Copy" />
        <button type="button" className="secondary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

export function formatTime(iso: string | null): string {
  if (iso === null) return "—";
  return new Date(iso).toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

/** A type-qualified short id ("vault:1a2b3c4d"); "—" when there is no type. */
export function formatRef(type: string | null, id: string | null): string {
  return type ? `${type}:${(id ?? "").slice(0, 8)}` : "—";
}
