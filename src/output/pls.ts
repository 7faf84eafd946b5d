/** Human renderings of a Private Link Service (expose, status). */
import type { ExposeResult, StatusResult, UnexposeResult } from "../domain/results.js";
import { shellArg } from "../domain/shell.js";
import type { Colors } from "./colors.js";
import { stateColor } from "./connections.js";
import { renderFields, renderTable } from "./format.js";
import { renderMissingPartners, renderPartnerMessages } from "./partners.js";

const list = (values: string[], none: string) => (values.length ? values.join(", ") : none);

export function plsFields(r: Omit<ExposeResult, "changed">, c: Colors): Array<[string, string | undefined]> {
  return [
    ["Private Link Service", r.name ?? c.dim("(not created yet)")],
    ["Alias", r.alias ? c.bold(r.alias) : undefined],
    ["Resource id", r.id ?? undefined],
    [
      "Service",
      `${r.service.namespace}/${r.service.name}${r.loadBalancerIp ? ` (load balancer IP ${r.loadBalancerIp})` : ""}`,
    ],
    [
      "State",
      r.provisioningState === "Succeeded" ? c.green(r.provisioningState) : c.yellow(r.provisioningState),
    ],
    ["NAT IPs", list(r.natIps, "-")],
    ["Visibility", list(r.visibility, "role-based access only")],
    ["Auto-approval", list(r.autoApproval, "none")],
    ["Proxy protocol", r.proxyProtocol ? "on" : "off"],
    ["FQDNs", list(r.fqdns, "-")],
  ];
}

/** Notes on an exposure, for stderr (every output format; -q hides them). */
export function exposeNotes(r: Omit<ExposeResult, "changed">): string[] {
  const notes: string[] = [];
  if (r.name && r.visibility.length === 0) {
    notes.push(
      "Note: visibility is role-based access only: partners in other subscriptions cannot find this PLS by its alias. Add --visibility <their subscription id> (or '*').",
    );
  }
  return notes;
}

/** How the operator ran expose: the commands it prints for them run as printed (npx, --context). */
export interface AsRun {
  cli?: string;
  context?: string | undefined;
}

export function renderExpose(r: ExposeResult, c: Colors, how: AsRun = {}): string {
  const again = (args: string) =>
    `${how.cli ?? "plsctl"} ${args} -n ${r.service.namespace}${how.context ? ` --context ${shellArg(how.context)}` : ""}`;
  let out = renderFields(plsFields(r, c));
  if (r.connectCommand && r.visibility.length === 0) {
    // Azure's visibility setting: with no subscription listed, only principals with RBAC
    // permissions on the PLS can find it (https://learn.microsoft.com/azure/private-link/private-link-service-overview,
    // "Control service exposure"; azure-rest-api-specs privateLinkService.json `visibility`).
    out +=
      `\nNo partner can see this Private Link Service yet: its visibility is empty, so only principals with RBAC permissions on it can find its alias, not partners in other subscriptions or tenants.\n` +
      `Add each partner's subscription: ${again(`expose ${r.service.name}`)} --visibility <their subscription id>\n` +
      `Then send them:\n  ${r.connectCommand}\n`;
  } else if (r.connectCommand) {
    out += `\nSend this to your partner (it works from their own subscription and tenant):\n  ${r.connectCommand}\n`;
  } else {
    out += `\nThe AKS controller is creating it; follow with: ${again(`status ${r.service.name}`)}\n`;
  }
  return out + renderPartnerMessages(r.aliasChanged);
}

/** `45s`, `2m`, `3h`, `2d` — kubectl's style of age. */
export function age(fromIso: string | null, nowMs: number): string | undefined {
  if (!fromIso) return undefined;
  const s = Math.max(0, Math.floor((nowMs - Date.parse(fromIso)) / 1000));
  if (Number.isNaN(s)) return undefined;
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

function renderWarnings(r: StatusResult, c: Colors, nowMs: number): string {
  if (!r.warnings.length) return "";
  const lines = r.warnings.map((w) => {
    const when = age(w.lastSeen, nowMs);
    const meta = [w.count > 1 ? `x${w.count}` : "", when ? `${when} ago` : ""].filter(Boolean).join(", ");
    const [first = "", ...rest] = w.message.trimEnd().split("\n");
    const head = `  ${c.yellow(w.reason)}${meta ? ` (${meta})` : ""}: ${first}`;
    return [head, ...rest.map((l) => `      ${l}`)].join("\n");
  });
  return `\nWarnings since the last successful sync:\n${lines.join("\n")}\n`;
}

export function renderStatus(r: StatusResult, c: Colors, nowMs: number = Date.now()): string {
  let out = renderFields(plsFields(r, c));
  out += `\nConnections (${r.connections.length}):\n`;
  out += r.connections.length
    ? renderTable(
        ["name", "state", "requester subscription", "endpoint", "description"],
        r.connections.map((x) => [
          x.name,
          stateColor(x.status, c),
          x.requesterSubscription ?? "-",
          // As `connections` shows it: the endpoint's name (its id is in -o json).
          x.privateEndpointName ?? x.privateEndpointId ?? "-",
          x.description ?? "",
        ]),
      )
    : `  none yet — partners connect with: ${r.connectCommand ?? "plsctl connect"}\n`;
  return out + renderMissingPartners(r.missingPartners) + renderWarnings(r, c, nowMs);
}

export function renderUnexpose(r: UnexposeResult, _c: Colors): string {
  const ref = `${r.service.namespace}/${r.service.name}`;
  if (!r.changed) return `${ref} was not exposed; nothing changed.\n`;
  const lines = [`${ref} is no longer exposed through Private Link.`];
  if (r.removedAnnotations.length) lines.push(`Removed annotations: ${r.removedAnnotations.join(", ")}`);
  if (r.deletedConnections.length)
    lines.push(`Removed connections: ${r.deletedConnections.map((x) => x.name).join(", ")}`);
  if (r.plsDeleted && r.pls) lines.push(`Deleted Private Link Service ${r.pls.name}`);
  return `${lines.join("\n")}\n`;
}
