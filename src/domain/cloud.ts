/** The Azure clouds plsctl knows (named as `az cloud list` names them): endpoints, audiences, authorities. */

export const CLOUD_NAMES = ["AzureCloud", "AzureUSGovernment", "AzureChinaCloud"] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

export interface CloudSettings {
  name: CloudName;
  armEndpoint: string;
  /** The token audience for ARM; the scope requested is `<audience>/.default`. */
  audience: string;
  authorityHost: string;
}

export const CLOUDS: Record<CloudName, CloudSettings> = {
  AzureCloud: {
    name: "AzureCloud",
    armEndpoint: "https://management.azure.com",
    audience: "https://management.azure.com",
    authorityHost: "https://login.microsoftonline.com",
  },
  AzureUSGovernment: {
    name: "AzureUSGovernment",
    armEndpoint: "https://management.usgovcloudapi.net",
    audience: "https://management.core.usgovcloudapi.net",
    authorityHost: "https://login.microsoftonline.us",
  },
  AzureChinaCloud: {
    name: "AzureChinaCloud",
    armEndpoint: "https://management.chinacloudapi.cn",
    audience: "https://management.core.chinacloudapi.cn",
    authorityHost: "https://login.chinacloudapi.cn",
  },
};

export const armScope = (cloud: CloudSettings): string => `${cloud.audience}/.default`;
