/**
 * Server-side printing: `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` turns objects into a
 * meta.k8s.io/v1 Table with the columns and cell formats of the apiserver's printers
 * (pkg/printers/internalversion). As on the real server, every column, wide ones included, is sent;
 * kubectl hides the priority-1 columns unless `-o wide`.
 */
import { type Dict, isDict, list } from "./kinds/types.js";
import type { KObj, ResourceDef } from "./resources.js";

interface Column {
  name: string;
  type: string;
  format?: string;
  priority?: number;
  description: string;
}

type Cell = string | number;

const nameCol: Column = {
  name: "Name",
  type: "string",
  format: "name",
  description: "Name must be unique within a namespace.",
};
const ageCol: Column = {
  name: "Age",
  type: "string",
  description: "CreationTimestamp is a timestamp representing the server time when this object was created.",
};

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    const y = Math.floor(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

function since(ts: unknown, now: Date): string {
  if (typeof ts !== "string" || ts === "") return "<unknown>";
  const t = Date.parse(ts);
  return Number.isNaN(t) ? "<unknown>" : humanDuration(now.getTime() - t);
}

function formatLabels(m: unknown): string {
  if (!isDict(m) || Object.keys(m).length === 0) return "<none>";
  return Object.keys(m)
    .sort()
    .map((k) => `${k}=${String(m[k])}`)
    .join(",");
}

function formatLabelSelector(sel: unknown): string {
  if (!isDict(sel)) return "<none>";
  const parts: string[] = [];
  const ml = isDict(sel.matchLabels) ? sel.matchLabels : {};
  for (const k of Object.keys(ml).sort()) parts.push(`${k}=${String(ml[k])}`);
  for (const e of list(sel, "matchExpressions")) {
    const values = Array.isArray(e.values) ? e.values.join(",") : "";
    const op = String(e.operator);
    if (op === "In") parts.push(`${e.key} in (${values})`);
    else if (op === "NotIn") parts.push(`${e.key} notin (${values})`);
    else if (op === "Exists") parts.push(String(e.key));
    else if (op === "DoesNotExist") parts.push(`!${e.key}`);
  }
  return parts.length ? parts.join(",") : "<none>";
}

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

function podRow(o: KObj, now: Date): Cell[] {
  const sp = (o.spec as Dict) ?? {};
  const st = (o.status as Dict) ?? {};
  const statuses = list(st, "containerStatuses");
  const total = list(sp, "containers").length;
  const ready = statuses.filter((c) => c.ready === true).length;
  let reason = String(st.reason ?? st.phase ?? "Pending");
  for (const c of statuses) {
    const waiting = isDict(c.state) && isDict(c.state.waiting) ? c.state.waiting : undefined;
    if (waiting?.reason) reason = String(waiting.reason);
  }
  if (o.metadata.deletionTimestamp) reason = "Terminating";
  const restarts = statuses.reduce((n, c) => n + Number(c.restartCount ?? 0), 0);
  const gates = list(sp, "readinessGates");
  return [
    o.metadata.name ?? "",
    `${ready}/${total}`,
    reason,
    String(restarts),
    since(o.metadata.creationTimestamp, now),
    String(st.podIP || "<none>"),
    String(sp.nodeName || "<none>"),
    String(st.nominatedNodeName || "<none>"),
    gates.length ? `0/${gates.length}` : "<none>",
  ];
}

function nodeRow(o: KObj, now: Date): Cell[] {
  const st = (o.status as Dict) ?? {};
  const sp = (o.spec as Dict) ?? {};
  const ready = list(st, "conditions").find((c) => c.type === "Ready");
  let status = ready?.status === "True" ? "Ready" : ready ? "NotReady" : "Unknown";
  if (sp.unschedulable === true) status += ",SchedulingDisabled";
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(o.metadata.labels ?? {})) {
    if (k.startsWith("node-role.kubernetes.io/") && k.length > 24) roles.add(k.slice(24));
    else if (k === "kubernetes.io/role" && v) roles.add(v);
  }
  const addr = (t: string) => list(st, "addresses").find((a) => a.type === t)?.address;
  const info = isDict(st.nodeInfo) ? st.nodeInfo : {};
  return [
    o.metadata.name ?? "",
    status,
    roles.size ? [...roles].sort().join(",") : "<none>",
    since(o.metadata.creationTimestamp, now),
    String(info.kubeletVersion ?? ""),
    String(addr("InternalIP") ?? "<none>"),
    String(addr("ExternalIP") ?? "<none>"),
    String(info.osImage ?? "<unknown>"),
    String(info.kernelVersion ?? "<unknown>"),
    String(info.containerRuntimeVersion ?? "<unknown>"),
  ];
}

function eventRow(o: KObj, now: Date): Cell[] {
  const e = o as Dict;
  const inv = isDict(e.involvedObject) ? e.involvedObject : {};
  const first = e.firstTimestamp ? since(e.firstTimestamp, now) : since(e.eventTime, now);
  let last = e.lastTimestamp ? since(e.lastTimestamp, now) : first;
  let count = Number(e.count ?? 0);
  if (isDict(e.series)) {
    last = since(e.series.lastObservedTime, now);
    count = Number(e.series.count ?? 0);
  } else if (count === 0) count = 1;
  const kind = String(inv.kind ?? "").toLowerCase();
  const target = inv.name ? `${kind}/${inv.name}` : kind;
  const src = isDict(e.source) ? e.source : {};
  const component = String(src.component || e.reportingComponent || "");
  const host = String(src.host || e.reportingInstance || "");
  const source = component ? (host ? `${component}, ${host}` : component) : "";
  return [
    last,
    String(e.type ?? ""),
    String(e.reason ?? ""),
    target,
    String(inv.fieldPath ?? ""),
    source,
    String(e.message ?? "").trim(),
    first,
    count,
    o.metadata.name ?? "",
  ];
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

const TABLES: Record<string, { columns: Column[]; row: (o: KObj, now: Date) => Cell[] }> = {
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
  Pod: {
    columns: [
      nameCol,
      {
        name: "Ready",
        type: "string",
        description: "The aggregate readiness state of this pod for accepting traffic.",
      },
      { name: "Status", type: "string", description: "The aggregate status of the containers in this pod." },
      {
        name: "Restarts",
        type: "string",
        description:
          "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
      },
      ageCol,
      { name: "IP", type: "string", priority: 1, description: "podIP address allocated to the pod." },
      {
        name: "Node",
        type: "string",
        priority: 1,
        description: "Name of the Node this pod is scheduled to.",
      },
      {
        name: "Nominated Node",
        type: "string",
        priority: 1,
        description: "nominatedNodeName is set only when this pod preempts other pods on the node.",
      },
      {
        name: "Readiness Gates",
        type: "string",
        priority: 1,
        description: "If specified, all readiness gates will be evaluated for pod readiness.",
      },
    ],
    row: podRow,
  },
  Node: {
    columns: [
      nameCol,
      { name: "Status", type: "string", description: "The status of the node" },
      { name: "Roles", type: "string", description: "The roles of the node" },
      ageCol,
      { name: "Version", type: "string", description: "Kubelet Version reported by the node." },
      {
        name: "Internal-IP",
        type: "string",
        priority: 1,
        description: "List of addresses reachable to the node.",
      },
      {
        name: "External-IP",
        type: "string",
        priority: 1,
        description: "List of addresses reachable to the node.",
      },
      {
        name: "OS-Image",
        type: "string",
        priority: 1,
        description: "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).",
      },
      {
        name: "Kernel-Version",
        type: "string",
        priority: 1,
        description: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
      },
      {
        name: "Container-Runtime",
        type: "string",
        priority: 1,
        description:
          "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).",
      },
    ],
    row: nodeRow,
  },
  Namespace: {
    columns: [
      nameCol,
      { name: "Status", type: "string", description: "The status of the namespace" },
      ageCol,
    ],
    row: (o, now) => [
      o.metadata.name ?? "",
      String((o.status as Dict)?.phase ?? ""),
      since(o.metadata.creationTimestamp, now),
    ],
  },
  Event: {
    columns: [
      { name: "Last Seen", type: "string", description: "Time when this Event was last observed." },
      {
        name: "Type",
        type: "string",
        description: "Type of this event (Normal, Warning), new types could be added in the future",
      },
      {
        name: "Reason",
        type: "string",
        description:
          "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
      },
      { name: "Object", type: "string", description: "The object that this event is about." },
      {
        name: "Subobject",
        type: "string",
        priority: 1,
        description:
          "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].",
      },
      {
        name: "Source",
        type: "string",
        priority: 1,
        description: "The component reporting this event. Should be a short machine understandable string.",
      },
      {
        name: "Message",
        type: "string",
        description: "A human-readable description of the status of this operation.",
      },
      {
        name: "First Seen",
        type: "string",
        priority: 1,
        description:
          "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)",
      },
      {
        name: "Count",
        type: "string",
        priority: 1,
        description: "The number of times this event has occurred.",
      },
      { ...nameCol, priority: 1 },
    ],
    row: eventRow,
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

export type IncludeObject = "None" | "Metadata" | "Object";

export function toTable(
  r: ResourceDef,
  items: KObj[],
  listMeta: Dict,
  now: Date,
  include: IncludeObject,
): Dict {
  const t = TABLES[r.kind] ?? {
    columns: [nameCol, ageCol],
    row: (o: KObj, n: Date) => [o.metadata.name ?? "", since(o.metadata.creationTimestamp, n)],
  };
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: listMeta,
    columnDefinitions: t.columns.map((c) => ({ priority: 0, format: "", ...c })),
    rows: items.map((o) => {
      const row: Dict = { cells: t.row(o, now) };
      if (include === "Metadata") {
        row.object = { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata };
      } else if (include === "Object") row.object = o;
      return row;
    }),
  };
}
