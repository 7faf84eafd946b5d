/** Table printers of Services, Endpoints, EndpointSlices and NetworkPolicies (pkg/printers/internalversion). */
import { type Dict, isDict, list } from "./kinds/types.js";
import type { KObj } from "./resources.js";
import { ageCol, formatLabelSelector, formatLabels, nameCol, type Printer, since } from "./table-format.js";

function serviceExternalIp(sp: Dict, st: Dict): string {
  const ext = Array.isArray(sp.externalIPs) ? (sp.externalIPs as string[]) : [];
  switch (sp.type) {
    case "ClusterIP":
    case "NodePort":
      return ext.length ? ext.join(",") : "<none>";
    case "LoadBalancer": {
      const lb = isDict(st.loadBalancer) ? st.loadBalancer : {};
      const ips = list(lb, "ingress")
        .map((i) => String(i.ip ?? i.hostname ?? ""))
        .filter((s) => s !== "");
      const all = [...ips, ...ext];
      return all.length ? all.join(",") : "<pending>";
    }
    case "ExternalName":
      return String(sp.externalName ?? "");
    default:
      return "<unknown>";
  }
}

function servicePorts(sp: Dict): string {
  const s = list(sp, "ports")
    .map((p) =>
      Number(p.nodePort) > 0 ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`,
    )
    .join(",");
  return s || "<none>";
}

function endpointsText(o: KObj): string {
  const subsets = list(o as Dict, "subsets");
  if (subsets.length === 0) return "<none>";
  const out: string[] = [];
  let count = 0;
  let more = false;
  for (const ss of subsets) {
    const addrs = list(ss, "addresses");
    const ports = list(ss, "ports");
    const targets = ports.length ? ports.map((p) => `:${p.port}`) : [""];
    for (const suffix of targets) {
      count += addrs.length;
      for (const a of addrs) {
        if (out.length === 3) {
          more = true;
          break;
        }
        out.push(`${a.ip}${suffix}`);
      }
    }
  }
  return more ? `${out.join(",")} + ${count - 3} more...` : out.join(",");
}

export const NETWORK_PRINTERS: Record<string, Printer> = {
  Service: {
    columns: [
      nameCol,
      { name: "Type", type: "string", description: "type determines how the Service is exposed." },
      { name: "Cluster-IP", type: "string", description: "clusterIP is the IP address of the service." },
      {
        name: "External-IP",
        type: "string",
        description:
          "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.",
      },
      { name: "Port(s)", type: "string", description: "The list of ports that are exposed by this service." },
      ageCol,
      {
        name: "Selector",
        type: "string",
        priority: 1,
        description: "Route service traffic to pods with label keys and values matching this selector.",
      },
    ],
    row: (o, now) => {
      const sp = (o.spec as Dict) ?? {};
      const ips = Array.isArray(sp.clusterIPs) ? (sp.clusterIPs as string[]) : [];
      return [
        o.metadata.name ?? "",
        String(sp.type ?? ""),
        ips[0] ?? "<none>",
        serviceExternalIp(sp, (o.status as Dict) ?? {}),
        servicePorts(sp),
        since(o.metadata.creationTimestamp, now),
        formatLabels(sp.selector),
      ];
    },
  },
  Endpoints: {
    columns: [
      nameCol,
      { name: "Endpoints", type: "string", description: "Endpoints of the service" },
      ageCol,
    ],
    row: (o, now) => [o.metadata.name ?? "", endpointsText(o), since(o.metadata.creationTimestamp, now)],
  },
  EndpointSlice: {
    columns: [
      nameCol,
      {
        name: "AddressType",
        type: "string",
        description: "addressType specifies the type of address carried by this EndpointSlice.",
      },
      {
        name: "Ports",
        type: "string",
        description: "ports specifies the list of network ports exposed by each endpoint in this slice.",
      },
      {
        name: "Endpoints",
        type: "string",
        description: "endpoints is a list of unique endpoints in this slice.",
      },
      ageCol,
    ],
    row: (o, now) => {
      const d = o as Dict;
      const ports = list(d, "ports").map((p) => String(p.port ?? ""));
      const addrs = list(d, "endpoints").flatMap((e) =>
        Array.isArray(e.addresses) ? (e.addresses as string[]) : [],
      );
      const shown = addrs.slice(0, 3).join(",");
      return [
        o.metadata.name ?? "",
        String(d.addressType ?? ""),
        ports.length ? ports.join(",") : "<unset>",
        addrs.length === 0 ? "<unset>" : addrs.length > 3 ? `${shown} + ${addrs.length - 3} more...` : shown,
        since(o.metadata.creationTimestamp, now),
      ];
    },
  },
  NetworkPolicy: {
    columns: [
      nameCol,
      {
        name: "Pod-Selector",
        type: "string",
        description: "Selects the pods to which this NetworkPolicy object applies.",
      },
      ageCol,
    ],
    row: (o, now) => [
      o.metadata.name ?? "",
      formatLabelSelector((o.spec as Dict)?.podSelector),
      since(o.metadata.creationTimestamp, now),
    ],
  },
};
