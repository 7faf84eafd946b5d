/**
 * What doctor's checks look at, each read once and shared: the Service, where its PLS goes, the
 * cluster (and its identities), the NAT subnet, the cluster identity's role assignments, the PLSs
 * of the resource group. A check that needs a fact another check could not get says so
 * (`NotChecked`: a WARN naming that check), instead of failing a second time for the same cause.
 */
import type { Azure } from "../../azure/index.js";
import type { ClusterInfo } from "../../azure/pls.js";
import type { SubnetView } from "../../azure/subnets.js";
import type { Context } from "../../context.js";
import { ANN } from "../../domain/annotations.js";
import type { ServiceView } from "../../domain/service.js";
import type { Kube } from "../../kube/index.js";
import { getService } from "../../kube/services.js";
import { type ClusterRef, clusterOf, locatePlsGroup, type PlsLocation } from "../support/locate.js";

export interface DoctorOptions extends ClusterRef {
  /** The Service to diagnose; without it, the preflight before a first `expose`. */
  service?: string | undefined;
  /** As `expose --nat-subnet` (default: the Service's annotation, else the load balancer's subnet). */
  natSubnet?: string | undefined;
  /** As `expose --pls-resource-group` (default: the annotation, else the node resource group). */
  plsResourceGroup?: string | undefined;
  /** The control-plane identity's object id (a service-principal cluster shows only its app id). */
  clusterIdentity?: string | undefined;
}

/** A check that could not be made because something it needs failed elsewhere. */
export class NotChecked extends Error {
  constructor(
    message: string,
    readonly fix: string,
    /** The error of the check it depends on, if that is why. */
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = "NotChecked";
  }
}

export interface Located {
  azure: Azure;
  location: PlsLocation;
  cluster: ClusterInfo | undefined;
}

export interface NatSubnetFacts {
  subnet: SubnetView;
  vnetId: string;
}

export interface Facts {
  ctx: Context;
  o: DoctorOptions;
  kube(): Promise<Kube>;
  /** The Service (only with a Service name). */
  service(): Promise<ServiceView>;
  /** Subscription, resource groups and cluster. */
  located(): Promise<Located>;
  /** The NAT subnet's name as the controller will pick it (undefined: the load balancer's subnet). */
  natSubnetName(): Promise<string | undefined>;
  /** `dep(id, f)`: the fact `f`, or a NotChecked naming check `id` when it failed. */
  dep<T>(id: string, f: () => Promise<T>): Promise<T>;
}

function memo<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => {
    p ??= f();
    return p;
  };
}

/** A Service with nothing on it: where a first `expose` would put a PLS (no annotation moves it). */
const noService = (namespace: string): ServiceView => ({
  namespace,
  name: "",
  uid: "",
  type: "LoadBalancer",
  annotations: {},
  ingressIps: [],
  ipFamilies: [],
  externalTrafficPolicy: undefined,
  loadBalancerIp: undefined,
  resourceVersion: "",
});

export function makeFacts(ctx: Context, o: DoctorOptions): Facts {
  const kube = memo(() => ctx.kube());
  const service = memo(async () => {
    if (!o.service) throw new NotChecked("No Service named.", "Name a Service: plsctl doctor <service>.");
    const k = await kube();
    return getService(k, k.namespace, o.service);
  });
  const located = memo(async (): Promise<Located> => {
    const k = await kube();
    const svc = o.service ? await service() : noService(k.namespace);
    const { azure, location } = await locatePlsGroup(ctx, k, svc, o, o.plsResourceGroup);
    const cluster = await clusterOf(ctx, azure, location);
    return { azure, location, cluster };
  });
  const natSubnetName = memo(async () => {
    if (o.natSubnet) return o.natSubnet;
    if (!o.service) return undefined;
    const a = (await service()).annotations;
    return a[ANN.plsNatSubnet]?.trim() || a[ANN.internalSubnet]?.trim() || undefined;
  });
  const failures = new Map<string, unknown>();
  const dep = async <T>(id: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (err) {
      if (err instanceof NotChecked) throw err;
      if ((err as Error).name === "AbortError") throw err;
      failures.set(id, err);
      throw new NotChecked(
        `Not checked: it needs what check ${id} could not get (${(err as Error).message})`,
        `Fix ${id} first.`,
        err,
      );
    }
  };
  return { ctx, o, kube, service, located, natSubnetName, dep };
}
