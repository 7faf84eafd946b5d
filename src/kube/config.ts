/**
 * Which cluster, as kubectl decides it: --kubeconfig, else KUBECONFIG (path list, merged), else
 * ~/.kube/config, else the in-cluster service account. --context picks a context; the namespace is
 * -n, else the context's namespace, else "default".
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { ExitCode, PlsctlError, usageError } from "../domain/errors.js";
import type { PlsctlEnv } from "../env.js";

export interface KubeTarget {
  config: KubeConfig;
  contextName: string;
  namespace: string;
  server: string;
  source: string;
}

function loadFile(path: string): KubeConfig {
  const config = new KubeConfig();
  try {
    config.loadFromFile(path);
  } catch (err) {
    throw new PlsctlError(`Cannot read kubeconfig ${path}: ${(err as Error).message.split("\n")[0]}`, {
      exitCode: ExitCode.Usage,
      code: "InvalidKubeconfig",
      cause: err,
      hint: "Fix the file, or point --kubeconfig / KUBECONFIG at a valid one.",
    });
  }
  return config;
}

/** Merged as kubectl merges a KUBECONFIG list: the first file that defines a name wins. */
function loadFiles(paths: string[]): KubeConfig {
  const [first, ...rest] = paths.map(loadFile);
  if (!first) throw new Error("loadFiles needs at least one path");
  if (rest.length === 0) return first;
  const merged = JSON.parse(first.exportConfig()) as Record<
    string,
    Array<{ name: string }> | string | undefined
  >;
  for (const next of rest) {
    const doc = JSON.parse(next.exportConfig()) as Record<
      string,
      Array<{ name: string }> | string | undefined
    >;
    for (const key of ["clusters", "users", "contexts"]) {
      const mine = (merged[key] as Array<{ name: string }> | undefined) ?? [];
      const names = new Set(mine.map((e) => e.name));
      merged[key] = [
        ...mine,
        ...((doc[key] as Array<{ name: string }> | undefined) ?? []).filter((e) => !names.has(e.name)),
      ];
    }
    merged["current-context"] ||= doc["current-context"];
  }
  const config = new KubeConfig();
  config.loadFromString(JSON.stringify(merged));
  return config;
}

export function resolveKubeTarget(
  env: PlsctlEnv,
  flags: { kubeconfig?: string | undefined; context?: string | undefined; namespace?: string | undefined },
): KubeTarget {
  let config: KubeConfig;
  let source: string;
  if (flags.kubeconfig) {
    if (!existsSync(flags.kubeconfig)) {
      throw usageError(`Kubeconfig ${flags.kubeconfig} does not exist.`, "Check the --kubeconfig path.");
    }
    config = loadFiles([flags.kubeconfig]);
    source = flags.kubeconfig;
  } else if (env.kubeconfig) {
    const paths = env.kubeconfig.split(delimiter).filter((p) => p !== "" && existsSync(p));
    if (paths.length === 0) {
      throw usageError(
        `KUBECONFIG=${env.kubeconfig} names no existing file.`,
        "Fix KUBECONFIG or pass --kubeconfig.",
      );
    }
    config = loadFiles(paths);
    source = paths.join(delimiter);
  } else if (existsSync(join(env.raw.HOME ?? homedir(), ".kube", "config"))) {
    source = join(env.raw.HOME ?? homedir(), ".kube", "config");
    config = loadFiles([source]);
  } else if (env.raw.KUBERNETES_SERVICE_HOST) {
    config = new KubeConfig();
    config.loadFromCluster();
    source = "in-cluster service account";
  } else {
    throw usageError(
      "No Kubernetes cluster configured: no --kubeconfig, no KUBECONFIG, no ~/.kube/config and not running in a cluster.",
      'Run `az aks get-credentials`, pass --kubeconfig, or try the sandbox: eval "$(plsctl sandbox env)".',
    );
  }
  if (flags.context) {
    if (!config.getContextObject(flags.context)) {
      const known = config.getContexts().map((c) => c.name);
      throw usageError(
        `Context "${flags.context}" is not in ${source}.`,
        known.length ? `Known contexts: ${known.join(", ")}.` : "The kubeconfig has no contexts.",
      );
    }
    config.setCurrentContext(flags.context);
  }
  const contextName = config.getCurrentContext();
  const context = config.getContextObject(contextName);
  const cluster = config.getCurrentCluster();
  if (!cluster) {
    throw usageError(
      `Kubeconfig ${source} has no cluster for context "${contextName}".`,
      "Select a context with --context.",
    );
  }
  return {
    config,
    contextName,
    namespace: flags.namespace ?? context?.namespace ?? "default",
    server: cluster.server,
    source,
  };
}
