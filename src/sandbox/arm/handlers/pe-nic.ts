/** A private endpoint's network interface, as the Network RP creates it with the endpoint. */
import type { Resource } from "../types.js";
import { guid, weakEtag } from "../util.js";
import type { PaasGroup } from "./paas-model.js";
import type { LinkTarget } from "./targets.js";

export const NIC = "Microsoft.Network/networkInterfaces";

export function nicResource(
  id: string,
  name: string,
  location: string,
  peId: string,
  subnetId: string,
  ip: string,
  isStatic: boolean,
  link: { target: LinkTarget; group: PaasGroup | undefined; fqdns: string[] },
): Resource {
  const etag = weakEtag();
  const cfg = `privateEndpointIpConfig.${guid()}`;
  return {
    id,
    name,
    type: NIC,
    location,
    etag,
    kind: "Regular",
    properties: {
      provisioningState: "Succeeded",
      resourceGuid: guid(),
      ipConfigurations: [
        {
          name: cfg,
          id: `${id}/ipConfigurations/${cfg}`,
          etag,
          type: `${NIC}/ipConfigurations`,
          properties: {
            provisioningState: "Succeeded",
            privateIPAddress: ip,
            privateIPAllocationMethod: isStatic ? "Static" : "Dynamic",
            subnet: { id: subnetId },
            primary: true,
            privateIPAddressVersion: "IPv4",
            privateLinkConnectionProperties: {
              groupId: link.group?.groupId ?? "",
              requiredMemberName: link.group?.requiredMembers[0] ?? "",
              fqdns: link.fqdns,
            },
          },
        },
      ],
      dnsSettings: {
        dnsServers: [],
        appliedDnsServers: [],
        internalDomainNameSuffix: `${guid().replace(/-/g, "")}.ax.internal.cloudapp.net`,
      },
      macAddress: "",
      enableAcceleratedNetworking: false,
      vnetEncryptionSupported: false,
      enableIPForwarding: false,
      disableTcpStateTracking: false,
      hostedWorkloads: [],
      tapConfigurations: [],
      privateEndpoint: { id: peId },
      nicType: "Standard",
      allowPort25Out: true,
      auxiliaryMode: "None",
      auxiliarySku: "None",
    },
  };
}
