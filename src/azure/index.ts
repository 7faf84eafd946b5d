/**
 * The Azure side as plsctl sees it: adapters over the SDK clients that take and return plsctl's
 * own types. Loaded lazily (it pulls in the Azure SDK), only by commands that talk to Azure.
 */

import type { CloudSettings } from "../domain/cloud.js";
import type { PlsctlEnv } from "../env.js";
import { createSdkClients } from "./clients.js";
import { armConnection, credentialPrincipal } from "./credentials.js";
import { type Azure, makeAzure } from "./handle.js";
import type { ArmAnswer, RetryClock, RetryNotice } from "./retry.js";

export type { Azure } from "./handle.js";
export { boundedBy } from "./handle.js";
export type { RetryNotice } from "./retry.js";

export interface AzureOptions {
  env: PlsctlEnv;
  cloud: CloudSettings;
  tenant: string | undefined;
  subscription: string | undefined;
  signal: AbortSignal;
  debug: (message: string) => void;
  /** Sleeps between retries and between polls of long-running operations. */
  clock: RetryClock;
  /** Told before each retry of a request (the user hears what happened and when it tries again). */
  onRetry?: (notice: RetryNotice) => void;
  /** Told of each request's final answer (metrics). */
  onAnswer?: (answer: ArmAnswer) => void;
}

export async function createAzure(o: AzureOptions): Promise<Azure> {
  const conn = await armConnection(o.env, o.cloud, o.tenant);
  o.debug(`ARM endpoint ${conn.endpoint}${conn.ca ? " (extra CA from PLSCTL_CA_FILE)" : ""}`);
  return makeAzure(
    { subscription: o.subscription, endpoint: conn.endpoint },
    {
      ...createSdkClients(conn, {
        clock: o.clock,
        ...(o.onRetry ? { onNotice: o.onRetry } : {}),
        ...(o.onAnswer ? { onAnswer: o.onAnswer } : {}),
      }),
      signal: o.signal,
      principal: () => credentialPrincipal(conn, o.signal),
    },
  );
}
