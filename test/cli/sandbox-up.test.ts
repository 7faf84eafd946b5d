/**
 * `plsctl sandbox up` in-process, started and stopped (the abort signal is Ctrl-C) several times on
 * one state directory: the ports of the last run are reused, so environments exported then keep
 * working; a port that another program holds now is reported.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readRuntime, type SandboxRuntime } from "../../src/sandbox/index.js";
import { type CliResult, runCli } from "../helpers/run-cli.js";

const dirs: string[] = [];
const servers: Server[] = [];

afterAll(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function stateDir(): string {
  const d = mkdtempSync(join(tmpdir(), "plsctl-sandbox-up-"));
  dirs.push(d);
  return d;
}

const port = (url: string) => Number(new URL(url).port);

interface Running {
  runtime: SandboxRuntime;
  /** Ctrl-C: stops the sandbox and returns what the command printed. */
  stop(): Promise<CliResult>;
}

/** Starts `plsctl sandbox up` and resolves once it has written its runtime, or with its result if it ended. */
async function up(dir: string, ...flags: string[]): Promise<Running | CliResult> {
  return upWith({}, dir, ...flags);
}

async function upWith(
  env: Record<string, string>,
  dir: string,
  ...flags: string[]
): Promise<Running | CliResult> {
  const before = readRuntime(dir)?.startedAt;
  const ac = new AbortController();
  let ended: CliResult | undefined;
  const run = runCli(["sandbox", "up", "--state-dir", dir, ...flags], { signal: ac.signal, env }).then(
    (r) => {
      ended = r;
      return r;
    },
  );
  for (;;) {
    if (ended) return ended;
    const rt = readRuntime(dir);
    if (rt && !rt.stoppedAt && rt.pid === process.pid && rt.startedAt !== before) {
      return {
        runtime: rt,
        stop: () => {
          ac.abort();
          return run;
        },
      };
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function started(dir: string, ...flags: string[]): Promise<Running> {
  const r = await up(dir, ...flags);
  if ("code" in r) throw new Error(`sandbox up ended (${r.code}): ${r.stderr}`);
  return r;
}

/** GET on the ARM endpoint of an exported environment, with its CA and token: the status code. */
function armGet(env: Record<string, string>, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${env.PLSCTL_ARM_ENDPOINT}${path}`,
      {
        ca: readFileSync(env.PLSCTL_CA_FILE ?? ""),
        headers: { authorization: `Bearer ${env.PLSCTL_ACCESS_TOKEN}` },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** Something else listening on 127.0.0.1:`p`. */
async function occupy(p: number): Promise<void> {
  const s = createServer();
  await new Promise<void>((resolve, reject) => {
    s.once("error", reject);
    s.listen(p, "127.0.0.1", () => resolve());
  });
  servers.push(s);
}

describe("plsctl sandbox up, restarted", () => {
  it("listens on the same ports again, so an exported environment keeps working", async () => {
    const dir = stateDir();
    const first = await started(dir);
    const env = await runCli(["sandbox", "env", "--state-dir", dir, "-o", "json"]);
    const exported = JSON.parse(env.stdout).env as Record<string, string>;
    expect((await first.stop()).stderr).toContain("Sandbox stopped; its state is kept.");

    const second = await started(dir);
    try {
      expect(second.runtime.arm.url).toBe(first.runtime.arm.url);
      expect(second.runtime.kube.url).toBe(first.runtime.kube.url);
      // The environment exported from the first run works against the second.
      expect(await armGet(exported, "/subscriptions?api-version=2022-12-01")).toBe(200);
    } finally {
      await second.stop();
    }
  });

  it("explicit --arm-port/--kube-port win over the recorded ones", async () => {
    const dir = stateDir();
    const first = await started(dir);
    await first.stop();
    const free = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const second = await started(dir, "--arm-port", String(free));
    try {
      expect(port(second.runtime.arm.url)).toBe(free);
      expect(second.runtime.kube.url).toBe(first.runtime.kube.url);
    } finally {
      await second.stop();
    }
    // The next start reuses the port of the last run: the explicit one.
    const third = await started(dir);
    expect(port(third.runtime.arm.url)).toBe(free);
    await third.stop();
  });

  it("a recorded port another program took: a free one instead, and a warning to re-evaluate the env", async () => {
    const dir = stateDir();
    const first = await started(dir);
    await first.stop();
    const taken = port(first.runtime.arm.url);
    await occupy(taken);
    const second = await started(dir);
    const out = await second.stop();
    expect(port(second.runtime.arm.url)).not.toBe(taken);
    expect(second.runtime.kube.url).toBe(first.runtime.kube.url);
    expect(out.stderr).toContain(
      `warning: Port ${taken}, where the last run of this sandbox served its Azure Resource Manager, is taken by another program; it now listens on ${second.runtime.arm.url}.`,
    );
    expect(out.stderr).toContain(`eval "$(plsctl sandbox env --state-dir ${dir})" before must run it again`);
  });

  it("an explicit port another program holds: exit 2, which port, what to do; nothing starts", async () => {
    const dir = stateDir();
    const first = await started(dir);
    await first.stop();
    const taken = port(first.runtime.kube.url);
    await occupy(taken);
    const r = await up(dir, "--kube-port", String(taken));
    expect("code" in r).toBe(true);
    const res = r as CliResult;
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      `Cannot start the sandbox's Kubernetes API on port ${taken}: another program listens there.`,
    );
    expect(res.stderr).toMatch(/Choose another --kube-port/);
    expect(readRuntime(dir)?.stoppedAt).toBeDefined();
  });
});

describe("plsctl sandbox up, as the user ran it", () => {
  const banner = async (env: Record<string, string>, dir: string) => {
    const r = await upWith(env, dir);
    if ("code" in r) throw new Error(`sandbox up ended (${r.code}): ${r.stderr}`);
    return (await r.stop()).stdout;
  };

  it("under npx (npm_command=exec) prints npx plsctl lines, and once how to put plsctl on the PATH", async () => {
    const dir = stateDir();
    const out = await banner({ npm_command: "exec", npm_lifecycle_event: "npx" }, dir);
    for (const id of ["provider", "ci", "partner"])
      expect(out).toContain(`eval "$(npx plsctl sandbox env --as ${id} --state-dir ${dir})"`);
    expect(out).toContain("  npx plsctl expose sample-app\n");
    expect(out).toContain(`\`npx plsctl sandbox reset --state-dir ${dir}\``);
    expect(out).not.toMatch(/(^|[^x] )plsctl sandbox env/m);
    expect(out.match(/npm link/g)).toHaveLength(1);
    expect(out).toContain('export PATH="$PWD/node_modules/.bin:$PATH"');
  });

  it("run as plsctl (npm run-script is not npx) prints plsctl lines and no PATH note", async () => {
    const dir = stateDir();
    const out = await banner({ npm_command: "run-script" }, dir);
    expect(out).toContain(`eval "$(plsctl sandbox env --as provider --state-dir ${dir})"`);
    expect(out).not.toContain("npx");
    expect(out).not.toContain("npm link");
  });
});
