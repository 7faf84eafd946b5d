/**
 * The AKS cloud controller reports PLS failures only as `SyncLoadBalancerFailed` events on the
 * Service. This turns its message templates (the fmt.Errorf texts of kubernetes-sigs/cloud-provider-azure
 * pkg/provider/azure_privatelinkservice.go) into what went wrong and what to do.
 */
import { ExitCode, PlsctlError } from "./errors.js";

interface Rule {
  test: RegExp;
  explain: (m: RegExpExecArray) => string;
}

const RULES: Rule[] = [
  {
    test: /must be internal or disable floating ip/,
    explain: () =>
      `The Service is on a public load balancer. Set service.beta.kubernetes.io/azure-load-balancer-internal to exactly "true" (plsctl expose --make-internal).`,
  },
  {
    test: /IPv6 is not supported for private link service/,
    explain: () => "Private Link Service is IPv4 only; use an IPv4 or dual-stack Service.",
  },
  {
    test: /already has unmanaged private link service\(([^)]+)\)/,
    explain: (m) =>
      `The load balancer frontend already carries a Private Link Service that this cluster did not create (${m[1]}). Delete it, or give the Service another IP.`,
  },
  {
    test: /already has existing private link service\(([^)]+)\) owned by service\(([^)]+)\)/,
    explain: (m) =>
      `The frontend is shared, and its Private Link Service ${m[1]} belongs to Service ${m[2]}: only that Service may set PLS options. Remove the azure-pls-* options from this Service, or configure them on ${m[2]}.`,
  },
  {
    test: /cannot change existing private link service name \(([^)]+)\) to \(([^)]+)\)/,
    explain: (m) =>
      `AKS cannot rename a Private Link Service: set azure-pls-name back to "${m[1]}" (plsctl expose --pls-name ${m[1]}).`,
  },
  {
    test: /failed to get private link service subnet\(([^)]*)\)/,
    explain: (m) =>
      `The NAT subnet "${m[1]}" does not exist in the cluster's virtual network. Pass --nat-subnet with a subnet of that VNet.`,
  },
  {
    test: /failed to get subnet: ([^\s]+)/,
    explain: (m) => `The internal load balancer subnet ${m[1]} does not exist. Fix --internal-subnet.`,
  },
  {
    test: /(minimum|maximum) number of private link service ipConfig is \d+, (-?\d+) provided/,
    explain: () => "--nat-ip-count must be between 1 and 8.",
  },
  {
    test: /value must be a whole number/,
    explain: () => "--nat-ip-count must be a whole number between 1 and 8.",
  },
  {
    test: /ipConfigCount\((\d+)\) must be no smaller than number of static IPs specified\((\d+)\)/,
    explain: (m) => `${m[2]} static NAT IPs need --nat-ip-count ${m[2]} or more (it is ${m[1]}).`,
  },
  {
    test: /getPLSStaticIPs: (\S+) is not a valid IP address/,
    explain: (m) => `${m[1]} is not an IP address; fix --nat-ip.`,
  },
  { test: /only supports IPv4, (\S+) provided/, explain: (m) => `${m[1]} is IPv6; NAT IPs are IPv4 only.` },
  {
    test: /ERROR CODE: PrivateLinkServiceCannotBeCreatedInSubnetThatHasNetworkPoliciesEnabled/,
    explain: () =>
      "The NAT subnet has privateLinkServiceNetworkPolicies enabled and the cluster identity could not disable it. Disable it (az network vnet subnet update --disable-private-link-service-network-policies true) or grant the identity subnet write rights.",
  },
  {
    test: /ERROR CODE: (AuthorizationFailed|LinkedAuthorizationFailed)/,
    explain: () =>
      "The cluster's identity lacks a permission in Azure (see the action and scope in the message). Grant it, e.g. Network Contributor on the PLS resource group and the VNet's subnet.",
  },
  {
    test: /ERROR CODE: (PrivateIPAddressInUse|PrivateIPAddressNotInSubnet|InvalidPrivateIPAddress\w*)/,
    explain: () =>
      "A static --nat-ip is taken or outside the NAT subnet. Pick free addresses inside that subnet.",
  },
  {
    // cloud-provider-azure PR #10943 (the sandbox words the message; the upstream text differs).
    test: /private link service name \(([^)]+)\) is already used by private link service\(([^)]+)\)/,
    explain: (m) =>
      `The name ${m[1]} is taken by a Private Link Service on another load balancer frontend (${m[2]}), not this Service's. Pick another name (plsctl expose --pls-name <free name>) or remove azure-pls-name.`,
  },
  {
    test: /has IPv6 frontend\(([^)]+)\)/,
    explain: () =>
      "In dual-stack clusters AKS cannot create a Private Link Service on a load balancer with an IPv6 Service. Make those Services single-stack IPv4, or move them off that load balancer.",
  },
  {
    test: /ERROR CODE: PrivateLinkServiceIsNotSupportedForIPBasedLoadBalancer/,
    explain: () =>
      "The cluster's load balancer uses IP-based backend pools, on which Azure allows no Private Link Service. Switch them: az aks update -g <rg> -n <cluster> --load-balancer-backend-pool-type nodeIPConfiguration.",
  },
  {
    test: /ERROR CODE: InvalidResourceName/,
    explain: () => "Azure refused a resource name; check --pls-name (1–80 characters).",
  },
];

/** The first line of the controller's error, without the event's fixed prefix. */
export function controllerCause(eventMessage: string): string {
  const body = eventMessage.replace(/^Error syncing load balancer: failed to ensure load balancer: /, "");
  const code = /ERROR CODE: (\S+)/.exec(body)?.[1];
  const first = body.split("\n")[0]?.trim() ?? body;
  return code ? `${first.replace(/:\s*PUT\s.*$|:\s*$/, "")} (${code})` : first;
}

export function explainControllerFailure(eventMessage: string): string | undefined {
  for (const rule of RULES) {
    const m = rule.test.exec(eventMessage);
    if (m) return rule.explain(m);
  }
  return undefined;
}

export function controllerFailure(ref: string, eventMessage: string): PlsctlError {
  return new PlsctlError(
    `The AKS cloud controller failed to set up the Private Link Service for ${ref}: ${controllerCause(eventMessage)}`,
    {
      exitCode: ExitCode.Failed,
      code: "SyncLoadBalancerFailed",
      hint:
        explainControllerFailure(eventMessage) ??
        `See the full message with: kubectl describe service ${ref.split("/")[1]} -n ${ref.split("/")[0]}`,
    },
  );
}
