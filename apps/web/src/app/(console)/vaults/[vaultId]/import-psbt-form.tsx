"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { FieldError, FormErrorNote, submitWith } from "../../../../components/ui";
import { TextField } from "../../../../components/text-field";
import type { ConsoleRouterOutputs } from "@conclave/api/routers/console-router-io";
import { fieldErrors } from "../../../../lib/console-error";
import { useTRPC } from "../../../../lib/trpc";

type VaultDetail = ConsoleRouterOutputs["admin"]["vaults"]["detail"];

/** A PSBT file is binary; the API takes it as base64. */
async function fileAsBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Uploads a PSBT spending the vault's key path. The server decodes and checks it; a
 * refusal names its reason (not the vault's key path, fee above the cap, ...).
 */
export function ImportPsbtForm({ vault }: { vault: VaultDetail & { chain: "bitcoin" } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [psbt, setPsbt] = useState("");
  const [memo, setMemo] = useState("");
  const upload = useMutation(
    trpc.admin.transactions.importPsbt.mutationOptions({
      onSuccess: () => {
        setPsbt("");
        setMemo("");
        void queryClient.invalidateQueries({
          queryKey: trpc.admin.transactions.list.queryKey({ vaultId: vault.id }),
        });
      },
    }),
  );
  const errors = fieldErrors(upload.error);
  return (
    <form
      aria-label="Import PSBT"
      onSubmit={submitWith(() => {
        upload.mutate({ vaultId: vault.id, network: vault.network, psbt: psbt.trim(), memo });
      })}
    >
      <div className="field">
        <label htmlFor="psbt-file">PSBT file</label>
        <input
          id="psbt-file"
          type="file"
          accept=".psbt,application/octet-stream,text/plain"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file === undefined) return;
            void (async () => {
              const text = (await file.text()).trim();
              // A .psbt file is binary; a text file may already hold base64.
              setPsbt(text.startsWith("cHNidP") ? text : await fileAsBase64(file));
            })();
          }}
        />
      </div>
      <div className="field">
        <label htmlFor="psbt-base64">or PSBT (base64)</label>
        <textarea
          id="psbt-base64"
          className="mono"
          rows={4}
          value={psbt}
          onChange={(event) => {
            setPsbt(event.target.value);
          }}
        />
        <FieldError id="psbt-base64-error" message={errors.psbt} />
      </div>
      <TextField id="psbt-memo" label="Memo" value={memo} onChange={setMemo} error={errors.memo} />
      <FormErrorNote error={upload.error} fieldErrors={errors} />
      <button type="submit" className="secondary" disabled={psbt === "" || upload.isPending}>
        Import PSBT
      </button>
    </form>
  );
}
