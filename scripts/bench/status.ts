/**
 * A read command's cost against kubectl's, on a sandbox in this process (issue 9):
 * - wall time of `plsctl status sample-app -o json` and `kubectl get svc sample-app -o json`,
 *   medians over rounds run round-robin (target: status ≤ 2× kubectl);
 * - peak resident memory (max RSS: the most physical memory the process held at once, from the
 *   kernel's rusage of the finished child) of each (target: status ≤ 120 MB).
 * The sample app is applied and exposed first, as in the README's walkthrough.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { cliEnv, median } from "./lib/common.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 21);

function which(cmd: string): string | undefined {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

async function applySampleApp(sb: Sandbox): Promise<void> {
  const { KubeConfig, KubernetesObjectApi, loadAllYaml } = await import("@kubernetes/client-node");
  const kc = new KubeConfig();
  kc.loadFromFile(sb.kube.kubeconfigPath);
  const api = KubernetesObjectApi.makeApiClient(kc);
  for (const obj of loadAllYaml(readFileSync("examples/sample-app.yaml", "utf8"))) {
    await api.create({ ...obj, metadata: { ...obj.metadata, namespace: "default" } });
  }
}

type Cmd = { name: string; file: string; args: string[] };

/** Runs a child to its end without blocking this process, which serves the sandbox. */
function exec(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

async function runOnce(cmd: Cmd, env: NodeJS.ProcessEnv): Promise<number> {
  const start = process.hrtime.bigint();
  const r = await exec(cmd.file, cmd.args, env);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.code !== 0) throw new Error(`${cmd.name} exited ${r.code}: ${r.stderr}`);
  return ms;
}

/**
 * Max RSS in MB. With GNU time: its %M (the child's ru_maxrss from wait4). Without it: the same
 * figure read inside the child (process.resourceUsage().maxRSS at exit), through a preloaded module.
 */
async function maxRssMb(cmd: Cmd, env: NodeJS.ProcessEnv, dir: string): Promise<number> {
  if (existsSync("/usr/bin/time")) {
    const r = await exec("/usr/bin/time", ["-f", "%M", cmd.file, ...cmd.args], env);
    const kb = Number(r.stderr.trim().split("\n").at(-1));
    if (r.code !== 0 || !Number.isFinite(kb)) throw new Error(`${cmd.name}: ${r.stderr}`);
    return kb / 1024;
  }
  if (cmd.file !== process.execPath) return Number.NaN;
  const out = join(dir, "rss");
  const hook = join(dir, "rss.mjs");
  writeFileSync(
    hook,
    `import { writeFileSync } from "node:fs";\nprocess.on("exit", () => writeFileSync(${JSON.stringify(out)}, String(process.resourceUsage().maxRSS)));\n`,
  );
  const r = await exec(cmd.file, ["--import", hook, ...cmd.args], env);
  if (r.code !== 0) throw new Error(`${cmd.name} exited ${r.code}: ${r.stderr}`);
  return Number(readFileSync(out, "utf8")) / 1024;
}

export default async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "plsctl-bench-"));
  const sb = await startSandbox({ stateDir: join(dir, "sandbox"), lroDelayMs: 0 });
  try {
    const env = cliEnv(sb, dir);
    await applySampleApp(sb);
    const node = process.execPath;
    await runOnce(
      {
        name: "expose",
        file: node,
        args: ["bin/plsctl.js", "expose", "sample-app", "--pls-name", "pls-app"],
      },
      env,
    );

    const kubectl = which("kubectl");
    const cmds: Cmd[] = [
      {
        name: "plsctl status sample-app -o json",
        file: node,
        args: ["bin/plsctl.js", "status", "sample-app", "-o", "json"],
      },
      ...(kubectl
        ? [
            {
              name: "kubectl get svc sample-app -o json",
              file: kubectl,
              args: ["get", "svc", "sample-app", "-o", "json"],
            },
          ]
        : []),
      { name: "plsctl --help", file: node, args: ["bin/plsctl.js", "--help"] },
      { name: "node -e 0", file: node, args: ["-e", "0"] },
    ];
    const samples: number[][] = cmds.map(() => []);
    for (let i = 0; i < RUNS + 2; i++) {
      for (const [k, c] of cmds.entries()) {
        const ms = await runOnce(c, env);
        if (i >= 2) samples[k]?.push(ms); // two warm-up rounds (compile cache, page cache)
      }
    }
    const rss: number[] = [];
    for (const c of cmds) {
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) runs.push(await maxRssMb(c, env, dir));
      rss.push(median(runs));
    }
    const wall = samples.map(median);
    console.log(`\nA read command against kubectl (sandbox in process, ${RUNS} rounds round-robin, medians)`);
    console.log(`  ${"command".padEnd(36)}${"wall".padStart(10)}${"max RSS".padStart(12)}`);
    for (const [k, c] of cmds.entries()) {
      console.log(
        `  ${c.name.padEnd(36)}${`${wall[k]?.toFixed(0)} ms`.padStart(10)}${`${rss[k]?.toFixed(0)} MB`.padStart(12)}`,
      );
    }
    const [status, ...rest] = wall;
    const statusRss = rss[0] ?? Number.NaN;
    if (kubectl && status !== undefined && rest[0] !== undefined) {
      console.log(`  status / kubectl: ${(status / rest[0]).toFixed(2)}× (target ≤ 2×)`);
    } else {
      console.log("  kubectl not found: no comparison");
    }
    console.log(`  status max RSS: ${statusRss.toFixed(0)} MB (target ≤ 120 MB)`);
    const help = wall.at(-2);
    const bare = wall.at(-1);
    if (help !== undefined && bare !== undefined) {
      console.log(`  --help / node -e 0: ${(help / bare).toFixed(2)}× (target ≤ 2×)`);
    }
  } finally {
    await sb.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
