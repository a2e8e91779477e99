import {
  createProcessApiDependencies,
  processApiConfigOf,
  type ProcessApiDependencies,
  type ProcessApiOptions,
} from "@conclave/api/context/create-process-api-dependencies";
import type { WsServerConfig } from "./config";

export type OwnedApiDependencies = ProcessApiDependencies;

/** Builds the API's dependencies once per process from the validated configuration. */
export function createApiDependencies(
  config: WsServerConfig,
  options: ProcessApiOptions,
): Promise<OwnedApiDependencies> {
  return createProcessApiDependencies(processApiConfigOf(config), options);
}
