/**
 * The Azure handle flows hold, and what stays behind it. Flows see only `Azure` (plain values);
 * the SDK clients and the abort signal sit in a module-private WeakMap that only the adapters in
 * src/azure read (`armOf`). The layers test checks that no file outside src/azure imports this
 * module or names what it keeps.
 */
import type { SdkClients } from "./clients.js";
import type { CredentialPrincipal } from "./credentials.js";

export interface Azure {
  /** The default subscription (--subscription / AZURE_SUBSCRIPTION_ID), if any. */
  readonly subscription: string | undefined;
  readonly endpoint: string;
}

/** What the adapters use: the SDK clients, and the signal every request is aborted with. */
export interface ArmClients extends SdkClients {
  readonly signal: AbortSignal;
  /** Who the credential is (claims of its token; the token stays inside). */
  principal(): Promise<CredentialPrincipal>;
}

const behind = new WeakMap<Azure, ArmClients>();

export function makeAzure(visible: Azure, clients: ArmClients): Azure {
  const azure: Azure = Object.freeze({ subscription: visible.subscription, endpoint: visible.endpoint });
  behind.set(azure, clients);
  return azure;
}

export function armOf(azure: Azure): ArmClients {
  const clients = behind.get(azure);
  if (!clients) throw new Error("not an Azure handle from createAzure()");
  return clients;
}

/**
 * The same clients, whose requests also end when `signal` aborts (a command's deadline): for a
 * long-running operation Azure takes longer over than the command may wait.
 */
export function boundedBy(azure: Azure, signal: AbortSignal): Azure {
  const clients = armOf(azure);
  return makeAzure(azure, { ...clients, signal: AbortSignal.any([clients.signal, signal]) });
}
