/** Pure fixtures for approve/reject/remove's planning rules: a PLS, its connections, a selection. */
import type { Selection } from "../../src/domain/decide.js";
import type { ConnectionView, PlsView } from "../../src/domain/pls.js";

export const PART = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
export const PLS_ID =
  "/subscriptions/s/resourceGroups/mc/providers/Microsoft.Network/privateLinkServices/pls-web";
export const pls = { id: PLS_ID, name: "pls-web", tags: {} } as unknown as PlsView;

/** A connection of `pls` from the partner's endpoint `name`. */
export const conn = (name: string, status: string, description: string): ConnectionView => ({
  name: `${name}.1111`,
  id: `${PLS_ID}/privateEndpointConnections/${name}.1111`,
  privateEndpointId: `/subscriptions/${PART}/resourceGroups/rg-partner/providers/Microsoft.Network/privateEndpoints/${name}`,
  requesterSubscription: PART,
  status,
  description,
  actionsRequired: "None",
  provisioningState: "Succeeded",
});

/** A selection: nothing selected but what `s` says. */
export const sel = (s: Partial<Selection>): Selection => ({
  names: [],
  allPending: false,
  fromSubscriptions: [],
  ...s,
});

/** A policy with one partner of each Azure-service requester kind (Front Door, Fabric, Data Factory). */
export const REQUESTER_KINDS_POLICY = `partners:
  - name: edge
    kind: frontdoor
    message: "^contoso-edge "
  - name: lake
    kind: fabric
    message: "^fabric ws-42$"
  - name: pipelines
    kind: datafactory
    factories: [adf-contoso-prod]
`;
