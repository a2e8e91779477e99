"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { auditActionNames } from "@conclave/api/services/console/audit-action-names";
import { ErrorNote, FieldError, formatTime, Loading } from "../../../components/ui";
import { fieldErrors, trpc } from "../../../lib/trpc";

type Filter = {
  action?: string;
  actorId?: string;
  targetId?: string;
  from?: string;
  to?: string;
};

function toIso(local: string): string | undefined {
  if (local === "") return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

export function AuditView() {
  const [draft, setDraft] = useState({ action: "", actorId: "", targetId: "", from: "", to: "" });
  const [filter, setFilter] = useState<Filter>({});
  const [pages, setPages] = useState<string[]>([]);
  const beforeSeq = pages[pages.length - 1];
  const audit = useQuery({
    queryKey: ["audit", filter, beforeSeq],
    queryFn: () =>
      trpc.console.audit.list.query({
        ...(filter as Parameters<typeof trpc.console.audit.list.query>[0]),
        ...(beforeSeq === undefined ? {} : { beforeSeq }),
        limit: 25,
      }),
  });
  const verify = useQuery({
    queryKey: ["audit-verify"],
    queryFn: () => trpc.console.audit.verifyChain.query(),
    enabled: false,
  });
  const errors = fieldErrors(audit.error);
  const apply = (event: { preventDefault(): void }) => {
    event.preventDefault();
    const next: Filter = {};
    if (draft.action.trim()) next.action = draft.action.trim();
    if (draft.actorId.trim()) next.actorId = draft.actorId.trim();
    if (draft.targetId.trim()) next.targetId = draft.targetId.trim();
    const from = toIso(draft.from);
    const to = toIso(draft.to);
    if (from) next.from = from;
    if (to) next.to = to;
    setPages([]);
    setFilter(next);
  };
  return (
    <section>
      <h1>Audit log</h1>
      <div className="panel">
        <button type="button" className="secondary" onClick={() => void verify.refetch()}>
          Verify chain
        </button>
        {verify.isFetching && <span className="muted"> verifying…</span>}
        {verify.data && (
          <p
            role="status"
            className={verify.data.ok ? "ok" : "form-error"}
            data-testid="chain-verdict"
          >
            {verify.data.ok
              ? `Chain intact: ${verify.data.count} rows verified.`
              : `Chain broken at row ${verify.data.brokenSeq ?? "?"} (${verify.data.reason ?? "unknown"}) after ${verify.data.count} good rows.`}
          </p>
        )}
        <ErrorNote error={verify.error} />
      </div>
      <form className="panel row" onSubmit={apply} aria-label="Filter audit log">
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <select
            id="audit-action"
            value={draft.action}
            onChange={(event) => {
              setDraft({ ...draft, action: event.target.value });
            }}
          >
            <option value="">any</option>
            {[...auditActionNames].sort().map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
          <FieldError id="audit-action-error" message={errors.action} />
        </div>
        <div className="field">
          <label htmlFor="audit-actor">Actor id</label>
          <input
            id="audit-actor"
            value={draft.actorId}
            onChange={(event) => {
              setDraft({ ...draft, actorId: event.target.value });
            }}
          />
          <FieldError id="audit-actor-error" message={errors.actorId} />
        </div>
        <div className="field">
          <label htmlFor="audit-target">Target id</label>
          <input
            id="audit-target"
            value={draft.targetId}
            onChange={(event) => {
              setDraft({ ...draft, targetId: event.target.value });
            }}
          />
          <FieldError id="audit-target-error" message={errors.targetId} />
        </div>
        <div className="field">
          <label htmlFor="audit-from">From</label>
          <input
            id="audit-from"
            type="datetime-local"
            value={draft.from}
            onChange={(event) => {
              setDraft({ ...draft, from: event.target.value });
            }}
          />
          <FieldError id="audit-from-error" message={errors.from} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">To</label>
          <input
            id="audit-to"
            type="datetime-local"
            value={draft.to}
            onChange={(event) => {
              setDraft({ ...draft, to: event.target.value });
            }}
          />
          <FieldError id="audit-to-error" message={errors.to} />
        </div>
        <button type="submit" className="submit">
          Filter
        </button>
      </form>
      {Object.keys(errors).length === 0 && <ErrorNote error={audit.error} />}
      <Loading when={audit.isPending && !audit.error}>
        <table className="audit">
          <thead>
            <tr>
              <th>#</th>
              <th>Time</th>
              <th>Action</th>
              <th>Outcome</th>
              <th>Actor</th>
              <th>Target</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {audit.data?.items.map((row) => (
              <tr key={row.seq} data-action={row.action}>
                <td>{row.seq}</td>
                <td>{formatTime(row.at)}</td>
                <td>{row.action}</td>
                <td>
                  <span className={`badge outcome-${row.outcome.toLowerCase()}`}>
                    {row.outcome}
                  </span>
                </td>
                <td className="mono">
                  {row.actorType}
                  {row.actorId ? `:${row.actorId.slice(0, 8)}` : ""}
                </td>
                <td className="mono">
                  {row.targetType ? `${row.targetType}:${(row.targetId ?? "").slice(0, 8)}` : "—"}
                </td>
                <td className="mono details">{row.details}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="actions">
          <button
            type="button"
            className="secondary"
            disabled={pages.length === 0}
            onClick={() => {
              setPages(pages.slice(0, -1));
            }}
          >
            Newer
          </button>
          <button
            type="button"
            className="secondary"
            disabled={!audit.data?.nextBeforeSeq}
            onClick={() => {
              const next = audit.data?.nextBeforeSeq;
              if (next) setPages([...pages, next]);
            }}
          >
            Older
          </button>
        </div>
      </Loading>
    </section>
  );
}
