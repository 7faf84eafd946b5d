/**
 * Every environment variable plsctl reads, declared once, typed and documented. The root help and
 * docs/cli.md list them from here.
 */

export type EnvSource = Readonly<Record<string, string | undefined>>;

export const ENV_VARS = [
  ["KUBECONFIG", "kubeconfig file(s), as for kubectl (default ~/.kube/config, then in-cluster)"],
  ["AZURE_SUBSCRIPTION_ID", "default for --subscription"],
  ["AZURE_TENANT_ID", "default for --tenant; also read by the Azure credential chain"],
  ["AZURE_CLIENT_ID", "service principal / workload identity client id (Azure credential chain)"],
  ["AZURE_CLIENT_SECRET", "service principal secret (or AZURE_CLIENT_CERTIFICATE_PATH)"],
  ["AZURE_FEDERATED_TOKEN_FILE", "workload identity token file (set by AKS workload identity, GitHub OIDC)"],
  ["PLSCTL_ACCESS_TOKEN", "an ARM bearer token used as is, never refreshed (CI pipelines; the sandbox)"],
  ["PLSCTL_ARM_ENDPOINT", "override the ARM endpoint (https only; the sandbox sets it)"],
  ["PLSCTL_CA_FILE", "PEM file of a CA to trust for PLSCTL_ARM_ENDPOINT only"],
  [
    "PLSCTL_SANDBOX_PROXY",
    "the sandbox's partner network proxy (`sandbox env` sets it; for curl --proxy, never used for ARM)",
  ],
  [
    "PLSCTL_POLICY_REVISION",
    "the policy revision approve/reject write into each description (e.g. a git SHA; default: a hash of the policy file)",
  ],
  ["PLSCTL_SANDBOX_DIR", "default state directory of `plsctl sandbox` (else $XDG_CACHE_HOME/plsctl/sandbox)"],
  [
    "npm_command",
    "set by npm: `exec` (under `npx plsctl` / `npm exec`) makes the commands plsctl prints read `npx plsctl …`",
  ],
  ["KUBERNETES_SERVICE_HOST", "set inside a pod: the in-cluster service account is used"],
  ["HOSTNAME", "set inside a pod to the pod's name: the default leader-election identity (--leader-elect)"],
  ["NO_COLOR", "disable colours"],
  ["FORCE_COLOR", "force colours"],
  ["CI", "set by CI systems: never prompt, no spinners"],
] as const;

export interface PlsctlEnv {
  kubeconfig: string | undefined;
  subscriptionId: string | undefined;
  tenantId: string | undefined;
  accessToken: string | undefined;
  armEndpoint: string | undefined;
  caFile: string | undefined;
  sandboxDir: string | undefined;
  /** PLSCTL_POLICY_REVISION: the policy revision written with each decision (else the file's hash). */
  policyRevision: string | undefined;
  /** The sandbox's partner network proxy URL (for `verify`; never used for ARM or Kubernetes). */
  sandboxProxy: string | undefined;
  /**
   * How the user invoked plsctl, for the commands it prints: `npx plsctl` under npx / `npm exec`
   * (npm sets npm_command=exec for both; a clone has no `plsctl` on the PATH), else `plsctl`.
   */
  cli: "plsctl" | "npx plsctl";
  /** The pod's name inside a pod. */
  hostname: string | undefined;
  noColor: boolean;
  forceColor: boolean;
  ci: boolean;
  /** The raw variables, for libraries that read their own (the Azure credential chain). */
  raw: EnvSource;
}

const nonEmpty = (v: string | undefined): string | undefined => (v && v.trim() !== "" ? v.trim() : undefined);

export function readEnv(env: EnvSource): PlsctlEnv {
  return {
    kubeconfig: nonEmpty(env.KUBECONFIG),
    subscriptionId: nonEmpty(env.AZURE_SUBSCRIPTION_ID),
    tenantId: nonEmpty(env.AZURE_TENANT_ID),
    accessToken: nonEmpty(env.PLSCTL_ACCESS_TOKEN),
    armEndpoint: nonEmpty(env.PLSCTL_ARM_ENDPOINT),
    caFile: nonEmpty(env.PLSCTL_CA_FILE),
    sandboxDir: nonEmpty(env.PLSCTL_SANDBOX_DIR),
    policyRevision: nonEmpty(env.PLSCTL_POLICY_REVISION),
    sandboxProxy: nonEmpty(env.PLSCTL_SANDBOX_PROXY),
    cli: env.npm_command === "exec" ? "npx plsctl" : "plsctl",
    hostname: nonEmpty(env.HOSTNAME),
    noColor: env.NO_COLOR !== undefined && env.NO_COLOR !== "",
    forceColor: env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false",
    ci: env.CI !== undefined && env.CI !== "" && env.CI !== "false" && env.CI !== "0",
    raw: env,
  };
}
