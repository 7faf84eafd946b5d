/** The environment `plsctl sandbox env --as <identity>` would print, for in-process CLI runs. */
import type { TestSandbox } from "../sandbox/helpers/sandbox.js";

export function sandboxEnv(sb: TestSandbox, identity = "provider"): Record<string, string> {
  const token = sb.arm.tokens[identity];
  const who = sb.world.identities.find((i) => i.name === identity);
  if (!token || !who) throw new Error(`the sandbox has no identity ${identity}`);
  return {
    KUBECONFIG: sb.kube.kubeconfigPath,
    PLSCTL_ARM_ENDPOINT: sb.arm.url,
    PLSCTL_CA_FILE: sb.arm.caFile,
    PLSCTL_ACCESS_TOKEN: token,
    AZURE_SUBSCRIPTION_ID: who.defaultSubscriptionId,
  };
}
