/** What `plsctl sandbox up`, `sandbox env` and `sandbox status` show. */
import type { EnvResult, SandboxEndpoints, SandboxStatus } from "../domain/results.js";
import { shellQuote } from "../domain/shell.js";
import type { Colors } from "./colors.js";
import { renderFields } from "./format.js";

/** How printed commands name the sandbox: its `--state-dir` flag (or "") and how plsctl is run. */
export interface Printed {
  flag: string;
  cli: string;
}

/**
 * Under npx the printed lines say `npx plsctl`; said once, how to type `plsctl` instead (a clone
 * has no `plsctl` on the PATH: `npm link` puts it there; a project that depends on plsctl has it
 * in node_modules/.bin).
 */
export function pathNote(cli: string): string[] {
  if (cli === "plsctl") return [];
  return [
    `These lines use \`${cli}\`: \`plsctl\` alone is not on your PATH. To type \`plsctl\`, run \`npm link\` in the clone,`,
    `or, in a project that depends on plsctl, export PATH="$PWD/node_modules/.bin:$PATH".`,
  ];
}

export function renderUp(rt: SandboxEndpoints, c: Colors, p: Printed): string {
  const { flag, cli } = p;
  const sd = rt.stateDir;
  const lines = [
    `${c.green(`plsctl sandbox is up`)} (state in ${sd})`,
    `  Azure Resource Manager  ${rt.arm.url}`,
    `  Kubernetes API          ${rt.kube.url}   (kubeconfig ${rt.kube.kubeconfigPath}, context ${rt.kube.context})`,
    ...otherClusters(rt),
    ...(rt.proxy
      ? [`  Partner network proxy   ${rt.proxy.url}   (PLSCTL_SANDBOX_PROXY in sandbox env)`]
      : []),
    "",
    "In another terminal, act as one of its identities:",
    ...rt.identities.map(
      (i) => `  ${i.displayName.padEnd(32)} eval "$(${cli} sandbox env --as ${i.name}${flag})"`,
    ),
    "",
    "Then, as the cluster operator:",
    "  kubectl apply -f examples/sample-app.yaml",
    `  ${cli} expose sample-app`,
    "",
    `Ctrl-C stops the sandbox; its state is kept. \`${cli} sandbox reset${flag}\` restores the default world.`,
    ...pathNote(cli),
    "",
  ];
  return lines.join("\n");
}

/** The Kubernetes APIs of the clusters after the first (a world of several clusters). */
function otherClusters(rt: SandboxEndpoints): string[] {
  return (rt.clusters ?? [])
    .slice(1)
    .map((k) => `  Kubernetes API          ${k.url}   (cluster ${k.name}: kubectl --context ${k.context})`);
}

export function renderStatus(s: SandboxStatus, c: Colors, p: Printed): string {
  if (!s.running)
    return `${c.yellow("not running")} (state directory ${s.stateDir}); start it with: ${p.cli} sandbox up${p.flag}\n`;
  return renderFields([
    ["Status", c.green("running")],
    ["PID", String(s.pid)],
    ["Since", s.startedAt ?? undefined],
    ["State directory", s.stateDir],
    ["Azure Resource Manager", s.arm ?? undefined],
    ["Kubernetes API", s.kube ?? undefined],
    ["Partner network proxy", s.proxy ?? undefined],
    ["Kubeconfig", s.kubeconfig ?? undefined],
    [
      "Clusters",
      s.clusters.length > 1 ? s.clusters.map((k) => `${k.name} (${k.url})`).join(", ") : undefined,
    ],
    ["Identities", s.identities.join(", ")],
  ]);
}

/** `export`/`unset` lines for `eval "$(plsctl sandbox env)"`. */
export function renderEnv(r: EnvResult): string {
  return [
    `# plsctl sandbox: ${r.displayName} (${r.identity})`,
    ...Object.entries(r.env).map(([k, v]) => `export ${k}=${shellQuote(v)}`),
    ...r.unset.map((k) => `unset ${k}`),
    "",
  ].join("\n");
}
