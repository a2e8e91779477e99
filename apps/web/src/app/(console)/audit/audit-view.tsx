"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { ConsoleRouterInputs } from "@conclave/api/routers/console-router-io";
import { auditActionNames } from "@conclave/api/services/audit/audit-action-names";
import { Badge } from "../../../components/badge";
import { DataTable } from "../../../components/data-table";
import { Pager, useCursorPages } from "../../../components/pager";
import { SelectField } from "../../../components/select-field";
import { TextField } from "../../../components/text-field";
import { ErrorNote, FormErrorNote, formatRef, formatTime, Loading } from "../../../components/ui";
import { fieldErrors } from "../../../lib/console-error";
import { useTRPC } from "../../../lib/trpc";
import { describeAuditDetails } from "./describe-audit-details";

type Filter = Omit<ConsoleRouterInputs["console"]["audit"]["list"], "beforeSeq" | "limit">;

function toIso(local: string): string | undefined {
  if (local === "") return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

export function AuditView() {
  const trpc = useTRPC();
  const [draft, setDraft] = useState({ action: "", actorId: "", targetId: "", from: "", to: "" });
  const [filter, setFilter] = useState<Filter>({});
  const pages = useCursorPages();
  const beforeSeq = pages.cursor;
  const audit = useQuery(
    trpc.console.audit.list.queryOptions({
      ...filter,
      ...(beforeSeq === undefined ? {} : { beforeSeq }),
      limit: 25,
    }),
  );
  const verify = useQuery(
    trpc.console.audit.verifyChain.queryOptions(undefined, { enabled: false }),
  );
  const errors = fieldErrors(audit.error);
  const edit = (field: keyof typeof draft) => (value: string) => {
    setDraft({ ...draft, [field]: value });
  };
  const apply = (event: { preventDefault(): void }) => {
    event.preventDefault();
    const next: Filter = {};
    const action = auditActionNames.find((name) => name === draft.action);
    if (action) next.action = action;
    if (draft.actorId.trim()) next.actorId = draft.actorId.trim();
    if (draft.targetId.trim()) next.targetId = draft.targetId.trim();
    const from = toIso(draft.from);
    const to = toIso(draft.to);
    if (from) next.from = from;
    if (to) next.to = to;
    pages.reset();
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
        <SelectField
          id="audit-action"
          label="Action"
          value={draft.action}
          onChange={edit("action")}
          error={errors.action}
        >
          <option value="">any</option>
          {[...auditActionNames].sort().map((action) => (
            <option key={action} value={action}>
              {action}
            </option>
          ))}
        </SelectField>
        <TextField
          id="audit-actor"
          label="Actor id"
          value={draft.actorId}
          onChange={edit("actorId")}
          error={errors.actorId}
        />
        <TextField
          id="audit-target"
          label="Target id"
          value={draft.targetId}
          onChange={edit("targetId")}
          error={errors.targetId}
        />
        <TextField
          id="audit-from"
          label="From"
          type="datetime-local"
          value={draft.from}
          onChange={edit("from")}
          error={errors.from}
        />
        <TextField
          id="audit-to"
          label="To"
          type="datetime-local"
          value={draft.to}
          onChange={edit("to")}
          error={errors.to}
        />
        <button type="submit" className="submit">
          Filter
        </button>
      </form>
      <FormErrorNote error={audit.error} fieldErrors={errors} />
      <Loading when={audit.isPending && !audit.error}>
        <DataTable
          className="audit"
          headers={["#", "Time", "Action", "Outcome", "Actor", "Target", "Details"]}
        >
          {audit.data?.items.map((row) => (
            <tr key={row.seq} data-action={row.action}>
              <td>{row.seq}</td>
              <td>{formatTime(row.at)}</td>
              <td>{row.action}</td>
              <td>
                <Badge family="outcome" value={row.outcome} />
              </td>
              <td className="mono">
                {row.actorType}
                {row.actorId ? `:${row.actorId.slice(0, 8)}` : ""}
              </td>
              <td className="mono">{formatRef(row.targetType, row.targetId)}</td>
              <td
                className={row.typedDetails === null ? "mono details" : "details"}
                title={row.details}
              >
                {describeAuditDetails(row)}
              </td>
            </tr>
          ))}
        </DataTable>
        <Pager pages={pages} next={audit.data?.nextBeforeSeq} />
      </Loading>
    </section>
  );
}
