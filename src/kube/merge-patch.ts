/**
 * The options that make client-node send a JSON merge patch. A module of its own, imported
 * dynamically by services.ts: importing these two names statically lets the bundler keep only
 * them, where `await import("@kubernetes/client-node")` keeps the package's whole namespace (every
 * API group's client, ~2 MB of the bundle) in the chunk every Kubernetes command loads.
 */
import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";

export const mergePatchOptions = () => setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
