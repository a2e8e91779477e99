import type { CliIo } from "../cli-io";
import { UsageError } from "../cli-io";
import { openJoinedClient } from "../open-client";

/** `conclave-guardian sessions [list | revoke <id> | revoke-others]`. */
export async function sessionsCommand(
  stateDir: string,
  args: readonly string[],
  io: CliIo,
): Promise<number> {
  const [action = "list", sessionId] = args;
  if (!["list", "revoke", "revoke-others"].includes(action))
    throw new UsageError("sessions takes list, revoke <session-id> or revoke-others");
  if (action === "revoke" && sessionId === undefined)
    throw new UsageError("sessions revoke needs a session id");
  const client = await openJoinedClient(stateDir);
  try {
    if (action === "list") {
      for (const session of await client.api.sessions.list.query()) {
        const marker = session.current ? "*" : " ";
        io.out(
          `${marker} ${session.id}  ${session.deviceName ?? "-"}  ip ${session.ip ?? "-"}  last active ${session.lastActivityAt}  created ${session.createdAt}`,
        );
      }
      return 0;
    }
    const { revokedSessionIds } =
      action === "revoke"
        ? await client.api.sessions.revoke.mutate({ sessionId: sessionId ?? "" })
        : await client.api.sessions.revokeOthers.mutate();
    io.out(`revoked ${revokedSessionIds.length} session(s)`);
    for (const id of revokedSessionIds) io.out(`  ${id}`);
    return 0;
  } finally {
    await client.close();
  }
}
