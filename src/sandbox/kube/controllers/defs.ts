/** The core/v1 and discovery resources the emulated controllers read and write. */
import { findResource, type ResourceDef } from "../resources.js";

function must(plural: string): ResourceDef {
  const r = findResource("", "v1", plural);
  if (!r) throw new Error(`resource ${plural} missing`);
  return r;
}

export const PODS = must("pods");
export const NODES = must("nodes");
export const SERVICES = must("services");
export const ENDPOINTS = must("endpoints");
export const NAMESPACES = must("namespaces");
export const SLICES = findResource("discovery.k8s.io", "v1", "endpointslices") ?? ENDPOINTS;

export const stamp = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;
