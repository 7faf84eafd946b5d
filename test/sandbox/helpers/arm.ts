/**
 * Test helper for the sandbox ARM emulator: start one in a temp dir, build the real SDK clients
 * per identity (HTTPS with the sandbox CA), send raw requests, seed a private link service the
 * way the AKS cloud controller does, and clean up.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ContainerServiceClient } from "@azure/arm-containerservice";
import { NetworkManagementClient } from "@azure/arm-network";
import { PrivateDnsManagementClient } from "@azure/arm-privatedns";
import type { RestError } from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/identity";
import { afterAll, beforeAll } from "vitest";
import {
  type ArmEmulator,
  type ArmEmulatorOptions,
  startArmEmulator,
} from "../../../src/sandbox/arm/index.js";
import { DEFAULT_IDS } from "../../../src/sandbox/world.js";
import { seedTls } from "../../helpers/tls.js";
import { FakeClock } from "./clock.js";

export interface Recorded {
  method: string;
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string | undefined;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text: string;
}

export interface ClientOptions {
  /** Retries of the SDK's default retry policy (default 3, as the SDK). */
  maxRetries?: number;
  retryDelayInMs?: number;
  /** api-version for the clients that allow overriding it (privatedns, containerservice). */
  apiVersion?: string;
}

export const PROV_SUB = DEFAULT_IDS.providerSubscriptionId;
export const PART_SUB = DEFAULT_IDS.partnerSubscriptionId;
export const NODE_RG = "MC_rg-aks_aks-demo_westeurope";
export const AKS_SUBNET_ID = `/subscriptions/${PROV_SUB}/resourceGroups/rg-aks/providers/Microsoft.Network/virtualNetworks/aks-vnet/subnets/aks-subnet`;
export const PE_SUBNET_ID = `/subscriptions/${PART_SUB}/resourceGroups/rg-partner/providers/Microsoft.Network/virtualNetworks/spoke01/subnets/pe-subnet`;

export interface TestArm {
  emu: ArmEmulator;
  dir: string;
  /** Every response the SDK clients built by this helper received (each retry included). */
  recorded: Recorded[];
  credential(identity: string): TokenCredential;
  net(identity: string, subscriptionId?: string, o?: ClientOptions): NetworkManagementClient;
  dns(identity: string, subscriptionId?: string, o?: ClientOptions): PrivateDnsManagementClient;
  aks(identity: string, subscriptionId?: string, o?: ClientOptions): ContainerServiceClient;
  raw(
    method: string,
    path: string,
    o?: { identity?: string | null; token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<RawResponse>;
  close(opts?: { keepDir?: boolean }): Promise<void>;
}

const defaultSub = (identity: string) => (identity === "partner" ? PART_SUB : PROV_SUB);

export async function startTestArm(opts: Partial<ArmEmulatorOptions> = {}): Promise<TestArm> {
  let dir = opts.stateDir;
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), "plsctl-arm-"));
    seedTls(dir);
  }
  const emu = await startArmEmulator({ ...opts, stateDir: dir });
  const recorded: Recorded[] = [];
  const credential = (identity: string): TokenCredential => ({
    getToken: async () => {
      const token = emu.tokens[identity];
      if (!token) throw new Error(`no sandbox token for identity ${identity}`);
      return { token, expiresOnTimestamp: Date.now() + 3600_000 };
    },
  });
  const clientOptions = (o?: ClientOptions) => ({
    endpoint: emu.url,
    tlsOptions: { ca: emu.caCertPem },
    ...(o?.apiVersion ? { apiVersion: o.apiVersion } : {}),
    retryOptions: {
      maxRetries: o?.maxRetries ?? 3,
      retryDelayInMs: o?.retryDelayInMs ?? 10,
      maxRetryDelayInMs: 50,
    },
    additionalPolicies: [
      {
        position: "perRetry" as const,
        policy: {
          name: "sandboxRecorder",
          sendRequest: async (
            req: { method: string; url: string },
            next: (r: never) => Promise<{
              status: number;
              headers: { toJSON(): Record<string, string> };
              bodyAsText?: string | null;
            }>,
          ) => {
            const res = await next(req as never);
            recorded.push({
              method: req.method,
              url: req.url,
              status: res.status,
              headers: res.headers.toJSON(),
              body: res.bodyAsText ?? undefined,
            });
            return res;
          },
        },
      },
    ],
  });
  const raw: TestArm["raw"] = (method, path, o = {}) =>
    new Promise((resolve, reject) => {
      const token = o.token ?? (o.identity === null ? undefined : emu.tokens[o.identity ?? "provider"]);
      const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
      const req = request(
        `${emu.url}${path}`,
        {
          method,
          ca: emu.caCertPem,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(payload ? { "content-type": "application/json" } : {}),
            ...o.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let body: unknown;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              body = text;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
          });
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  return {
    emu,
    dir,
    recorded,
    credential,
    net: (id, sub, o) =>
      new NetworkManagementClient(credential(id), sub ?? defaultSub(id), clientOptions(o) as never),
    dns: (id, sub, o) =>
      new PrivateDnsManagementClient(credential(id), sub ?? defaultSub(id), clientOptions(o) as never),
    aks: (id, sub, o) =>
      new ContainerServiceClient(credential(id), sub ?? defaultSub(id), clientOptions(o) as never),
    raw,
    close: async (o) => {
      await emu.close();
      if (!o?.keepDir && !opts.stateDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface SeededPls {
  id: string;
  alias: string;
  frontendId: string;
}

/**
 * Creates what the AKS cloud controller creates for an internal Service with
 * `azure-pls-create: "true"`: the internal LB frontend, the NAT subnet policy and the PLS.
 */
export async function seedPls(
  arm: TestArm,
  o: {
    name?: string;
    frontend?: string;
    visibility?: string[];
    autoApproval?: string[];
    fqdns?: string[];
  } = {},
): Promise<SeededPls> {
  const net = arm.net("aks-controller");
  const frontend = o.frontend ?? "a594a43c3f83348998714866bd330823";
  const lbName = "kubernetes-internal";
  let lb: Awaited<ReturnType<typeof net.loadBalancers.get>> | undefined;
  try {
    lb = await net.loadBalancers.get(NODE_RG, lbName);
  } catch {
    lb = undefined;
  }
  const fronts = (lb?.frontendIPConfigurations ?? []).map((f) => ({
    name: f.name,
    privateIPAllocationMethod: f.privateIPAllocationMethod,
    subnet: f.subnet,
    privateIPAddressVersion: f.privateIPAddressVersion,
  }));
  if (!fronts.some((f) => f.name === frontend)) {
    fronts.push({
      name: frontend,
      privateIPAllocationMethod: "Dynamic",
      subnet: { id: AKS_SUBNET_ID },
      privateIPAddressVersion: "IPv4",
    });
  }
  lb = await net.loadBalancers.createOrUpdate(NODE_RG, lbName, {
    location: "westeurope",
    sku: { name: "Standard" },
    frontendIPConfigurations: fronts,
  });
  const subnet = await net.subnets.get("rg-aks", "aks-vnet", "aks-subnet");
  if (subnet.privateLinkServiceNetworkPolicies !== "Disabled") {
    await net.subnets.createOrUpdate("rg-aks", "aks-vnet", "aks-subnet", {
      ...subnet,
      privateLinkServiceNetworkPolicies: "Disabled",
    });
  }
  const frontendId = lb.frontendIPConfigurations?.find((f) => f.name === frontend)?.id ?? "";
  const name = o.name ?? `pls-${frontend}`;
  const pls = await net.privateLinkServices.createOrUpdate(NODE_RG, name, {
    location: "westeurope",
    tags: { "k8s-azure-owner-service": "default/web", "k8s-azure-cluster-name": "kubernetes" },
    loadBalancerFrontendIpConfigurations: [{ id: frontendId }],
    ipConfigurations: [
      {
        name: `aks-subnet-${name}-dynamic-0`,
        privateIPAllocationMethod: "Dynamic",
        subnet: { id: AKS_SUBNET_ID },
        primary: true,
        privateIPAddressVersion: "IPv4",
      },
    ],
    visibility: { subscriptions: o.visibility ?? [PART_SUB] },
    autoApproval: { subscriptions: o.autoApproval ?? [] },
    fqdns: o.fqdns ?? [],
  });
  return { id: pls.id ?? "", alias: pls.alias ?? "", frontendId };
}

/** The error a call fails with (an SDK call here: a RestError); a call that succeeds fails the test. */
export async function failure(p: Promise<unknown>): Promise<RestError> {
  try {
    await p;
  } catch (e) {
    return e as RestError;
  }
  throw new Error("expected the call to fail");
}

/** A PLS visible to the partner, served again by an emulator whose operations take `lroDelayMs`. */
export interface SlowVisiblePls {
  /** The state directory it was seeded in (an emulator without delays can serve it too). */
  dir: string;
  slow: TestArm;
  pls: SeededPls;
  /** The slow emulator's clock. */
  clock: FakeClock;
}

/**
 * For a test file: seeds a PLS visible to the partner without delays, then restarts the same state
 * with `lroDelayMs` operations on a fake clock; closed and removed after the file.
 */
export function useSlowVisiblePls(lroDelayMs = 3000): SlowVisiblePls {
  const v = {} as SlowVisiblePls;
  beforeAll(async () => {
    const seeded = await startTestArm();
    v.pls = await seedPls(seeded, { visibility: [PART_SUB] });
    await seeded.close({ keepDir: true });
    v.dir = seeded.dir;
    v.clock = new FakeClock(Date.now());
    v.slow = await startTestArm({ stateDir: seeded.dir, lroDelayMs, clock: v.clock });
  });
  afterAll(async () => {
    await v.slow?.close();
    if (v.dir) rmSync(v.dir, { recursive: true, force: true });
  });
  return v;
}
