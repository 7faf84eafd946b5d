/** Table printers of Pods, Nodes, Namespaces, Events and Leases (pkg/printers/internalversion). */
import { type Dict, isDict, list } from "./kinds/types.js";
import type { KObj } from "./resources.js";
import { ageCol, type Cell, nameCol, type Printer, since } from "./table-format.js";

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

export const CLUSTER_PRINTERS: Record<string, Printer> = {
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
  Lease: {
    columns: [nameCol, { name: "Holder", type: "string", description: "The holder of the lease" }, ageCol],
    row: (o, now) => [
      o.metadata.name ?? "",
      String((o.spec as Dict)?.holderIdentity ?? ""),
      since(o.metadata.creationTimestamp, now),
    ],
  },
};
