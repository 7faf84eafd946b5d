/**
 * The sandbox's Kubernetes API server: HTTPS on 127.0.0.1 with the sandbox certificate, bearer
 * token authentication, state in `<stateDir>/kube-state.json`, and a kubeconfig for kubectl and
 * @kubernetes/client-node. Independent of plsctl's own code (imports only ../world and ../tls).
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { stringify } from "yaml";
import { httpsUrl, loopbackHost } from "../bind.js";
import type { SandboxClock } from "../clock.js";
import { ensureStateDir } from "../state-dir.js";
import { ensureTls } from "../tls.js";
import { defaultWorld, type ManagedClusterSpec, type WorldSpec } from "../world.js";
import type { ApiCtx } from "./api.js";
import { startControllers } from "./controllers/index.js";
import { internal, KubeApiError, unauthorized } from "./errors.js";
import { handleFaultAdmin, statusFault } from "./fault-admin.js";
import { type KubeFaultRule, KubeFaults } from "./faults.js";
import { sendError, sendJson } from "./http.js";
import { type KObj, resourcesFor } from "./resources.js";
import { type RouterEnv, requestVerb, route } from "./router.js";
import { seedObjects } from "./seed.js";
import { openStore } from "./store.js";
import type { OpenWatch } from "./watch.js";

export type { KubeFaultRule } from "./faults.js";
export type { KObj } from "./resources.js";
export { CorruptStateError } from "./store.js";

export interface KubeEmulatorOptions {
  stateDir: string;
  world?: WorldSpec;
  /**
   * The managed cluster of the world this API server is (default: the first). The first keeps its
   * files in `stateDir`; another in `stateDir/clusters/<name>/` (its own objects, token and
   * kubeconfig; the certificate stays the sandbox's).
   */
  cluster?: string;
  port?: number;
  /** Loopback address to listen on: 127.0.0.1 (default) or localhost; anything else is refused. */
  host?: string;
  log?: (line: string) => void;
  /** Interval of watch BOOKMARK events (default 60 s, like the apiserver's watch cache). */
  bookmarkIntervalMs?: number;
  /** Times watch bookmarks and `timeoutSeconds` (default: real time; tests inject a fake clock). */
  clock?: SandboxClock;
  /**
   * The sandbox admin token (the ARM emulator's): authorises `/_sandbox/faults` (GET lists, POST
   * adds KubeFaultRule[], DELETE clears). Without it those endpoints do not exist.
   */
  adminToken?: () => string;
}

export interface KubeCounters {
  total: number;
  byVerb: Record<string, number>;
  unrouted: number;
}

export interface KubeEmulator {
  /** The managed cluster it serves (the world's cluster name). */
  cluster: string;
  url: string;
  token: string;
  kubeconfigPath: string;
  caCertPem: string;
  counters(): KubeCounters;
  /** Replaces the fault rules in force (tests); the admin endpoint adds and clears them. */
  setFaults(rules: KubeFaultRule[]): void;
  /** Copies of the stored objects of a core/v1 (or `group`) resource, for in-process readers. */
  list(plural: string, namespace?: string, group?: string): KObj[];
  reset(world?: WorldSpec): Promise<void>;
  close(): Promise<void>;
}

export const STATE_FILE = "kube-state.json";
/** Where the clusters after the world's first keep their files, one directory each. */
export const CLUSTERS_DIR = "clusters";
const TOKEN_FILE = "kube-token";
const KUBECONFIG_FILE = "kubeconfig";
const OPEN_PATHS = new Set(["/version", "/healthz", "/livez", "/readyz"]);

function writeAtomic(path: string, content: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600 });
  renameSync(tmp, path);
}

function loadToken(stateDir: string): string {
  const file = join(stateDir, TOKEN_FILE);
  if (existsSync(file)) {
    const t = readFileSync(file, "utf8").trim();
    if (t) return t;
  }
  const token = randomBytes(32).toString("hex");
  writeAtomic(file, `${token}\n`);
  return token;
}

export function kubeconfigYaml(clusterName: string, url: string, caCertPem: string, token: string): string {
  const user = `${clusterName}-admin`;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: clusterName,
        cluster: { server: url, "certificate-authority-data": Buffer.from(caCertPem).toString("base64") },
      },
    ],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user, namespace: "default" } }],
    "current-context": clusterName,
    preferences: {},
  });
}

/** The managed cluster `name` of `world` (default: its first). */
export function clusterOf(world: WorldSpec, name: string | undefined): ManagedClusterSpec | undefined {
  return name === undefined
    ? world.managedClusters[0]
    : world.managedClusters.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

/** Where the Kubernetes API of cluster `name` keeps its files: the state directory for the first. */
export function clusterDir(stateDir: string, world: WorldSpec, name: string | undefined): string {
  const first = world.managedClusters[0]?.name;
  return name === undefined || name.toLowerCase() === first?.toLowerCase()
    ? stateDir
    : join(stateDir, CLUSTERS_DIR, name);
}

/** What one request is served with. */
interface Served {
  env: RouterEnv;
  faults: KubeFaults;
  counters: KubeCounters;
  token: string;
  url: () => string;
  adminToken?: () => string;
  log: (line: string) => void;
}

/** One request: the fault admin endpoint, or authentication, fault injection and the route. */
async function serve(s: Served, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  if (path === "/_sandbox/faults" && s.adminToken) {
    const r = await handleFaultAdmin(req, s.adminToken(), s.faults);
    return sendJson(res, r.status, r.body);
  }
  s.counters.total += 1;
  try {
    const auth = req.headers.authorization;
    if (auth !== undefined ? auth !== `Bearer ${s.token}` : !OPEN_PATHS.has(path)) throw unauthorized();
    const method = req.method ?? "GET";
    const fired = s.faults.pick({
      verb: requestVerb(method, new URL(req.url ?? "/", s.url()), s.env.served),
      method,
      path,
    });
    for (const f of fired) {
      if (f.kind === "latency") await new Promise((r) => setTimeout(r, f.latencyMs ?? 1000));
    }
    const failing = fired.find((f) => f.kind === "status");
    if (failing) throw statusFault(failing);
    const close = fired.find((f) => f.kind === "closeWatch");
    await route(s.env, req, res, close ? { closeWatchAfter: close.afterEvents ?? 0 } : {});
  } catch (e) {
    const err = e instanceof KubeApiError ? e : internal((e as Error).message);
    if (!(e instanceof KubeApiError))
      s.log(`kube emulator: ${req.method} ${req.url}: ${(e as Error).stack ?? e}`);
    if (err.code === 404 && err.body.message.startsWith("the server could not find")) {
      s.log(`kube emulator: unrouted ${req.method} ${req.url}`);
    }
    if (!res.headersSent) sendError(res, err);
    else res.end();
  }
}

export async function startKubeEmulator(opts: KubeEmulatorOptions): Promise<KubeEmulator> {
  const log = opts.log ?? (() => {});
  const host = loopbackHost(opts.host);
  ensureStateDir(opts.stateDir);
  const tls = ensureTls(opts.stateDir);
  const initialWorld = opts.world ?? defaultWorld();
  const cluster = clusterOf(initialWorld, opts.cluster);
  if (opts.cluster !== undefined && !cluster)
    throw new Error(`the sandbox world has no managed cluster ${opts.cluster}`);
  // The first cluster's API (no `cluster` given) follows the world's first cluster across resets.
  const followsFirst = opts.cluster === undefined;
  let clusterName = cluster?.name ?? "aks-demo";
  const dir = clusterDir(opts.stateDir, initialWorld, opts.cluster);
  ensureStateDir(dir);
  const store = openStore(join(dir, STATE_FILE));
  const ctx: ApiCtx = { store, now: () => new Date() };
  const seed = (w: WorldSpec) =>
    seedObjects(w, new Date().toISOString().replace(/\.\d+Z$/, "Z"), clusterOf(w, clusterName));
  if (store.isEmpty()) store.replaceAll(seed(initialWorld));
  const token = loadToken(dir);
  const counters: KubeCounters = { total: 0, byVerb: {}, unrouted: 0 };
  const watches = new Set<OpenWatch>();
  const faults = new KubeFaults();
  let url = "";

  const env: RouterEnv = {
    ctx,
    served: resourcesFor(cluster?.networkDataplane),
    kubernetesVersion: cluster?.kubernetesVersion ?? "1.31.5",
    serverAddress: () => url.replace(/^https:\/\//, ""),
    watches,
    bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 60_000,
    ...(opts.clock ? { clock: opts.clock } : {}),
    count: (verb) => {
      counters.byVerb[verb] = (counters.byVerb[verb] ?? 0) + 1;
    },
    unrouted: () => {
      counters.unrouted += 1;
    },
  };

  const served: Served = { env, faults, counters, token, url: () => url, log };
  if (opts.adminToken) served.adminToken = opts.adminToken;
  const server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    void serve(served, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  url = httpsUrl(host, port);
  const kubeconfigPath = join(dir, KUBECONFIG_FILE);
  writeAtomic(kubeconfigPath, kubeconfigYaml(clusterName, url, tls.caCertPem, token));
  let controllers = startControllers(ctx, log);
  log(`kube emulator listening on ${url} (kubeconfig ${kubeconfigPath})`);

  const endWatches = () => {
    for (const w of [...watches]) w.close();
  };

  return {
    get cluster() {
      return clusterName;
    },
    url,
    token,
    kubeconfigPath,
    caCertPem: tls.caCertPem,
    counters: () => ({ total: counters.total, byVerb: { ...counters.byVerb }, unrouted: counters.unrouted }),
    setFaults: (rules) => {
      faults.clear();
      faults.add(rules);
    },
    list(plural, namespace, group = "") {
      const r = env.served.find((x) => x.group === group && x.plural === plural);
      return r ? ctx.store.list(r, namespace) : [];
    },
    async reset(world?: WorldSpec) {
      controllers.stop();
      endWatches();
      const next = world ?? initialWorld;
      const c = followsFirst ? next.managedClusters[0] : clusterOf(next, clusterName);
      clusterName = c?.name ?? clusterName;
      env.kubernetesVersion = c?.kubernetesVersion ?? env.kubernetesVersion;
      env.served = resourcesFor(c?.networkDataplane);
      store.replaceAll(seed(next));
      controllers = startControllers(ctx, log);
    },
    async close() {
      controllers.stop();
      endWatches();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
