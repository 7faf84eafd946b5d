/**
 * Server-side printing: `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` turns objects into a
 * meta.k8s.io/v1 Table with the columns and cell formats of the apiserver's printers
 * (pkg/printers/internalversion). As on the real server, every column, wide ones included, is sent;
 * kubectl hides the priority-1 columns unless `-o wide`.
 */

import type { Dict } from "./kinds/types.js";
import { apiVersionOf, type KObj, type ResourceDef } from "./resources.js";
import { CLUSTER_PRINTERS } from "./table-cluster.js";
import { ageCol, nameCol, type Printer, since } from "./table-format.js";
import { NETWORK_PRINTERS } from "./table-network.js";

export { humanDuration } from "./table-format.js";

export type IncludeObject = "None" | "Metadata" | "Object";

const PRINTERS: Record<string, Printer> = { ...NETWORK_PRINTERS, ...CLUSTER_PRINTERS };

export function toTable(
  r: ResourceDef,
  items: KObj[],
  listMeta: Dict,
  now: Date,
  include: IncludeObject,
): Dict {
  const t = PRINTERS[r.kind] ?? {
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
      // As the apiserver embeds them (k8s.io/apiserver pkg/endpoints/handlers/response.go,
      // transformObject): typed, so clients (kubectl --sort-by) can decode each row's object.
      if (include === "Metadata") {
        row.object = { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata };
      } else if (include === "Object") row.object = { kind: r.kind, apiVersion: apiVersionOf(r), ...o };
      return row;
    }),
  };
}
