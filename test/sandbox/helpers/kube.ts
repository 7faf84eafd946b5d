/** Test helpers for the Kubernetes emulator: a started emulator in a temp state dir, and kubectl runs. */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, realpathSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  type KubeEmulator,
  type KubeEmulatorOptions,
  startKubeEmulator,
} from "../../../src/sandbox/kube/index.js";

export interface TestKube {
  emu: KubeEmulator;
  stateDir: string;
  /** Runs kubectl (the given binary) against the emulator; never throws. */
  kubectl(
    bin: string,
    args: string[],
    input?: string,
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

export async function startTestKube(opts: Partial<KubeEmulatorOptions> = {}): Promise<TestKube> {
  const stateDir = opts.stateDir ?? (await mkdtemp(join(tmpdir(), "plsctl-kube-")));
  const emu = await startKubeEmulator({ ...opts, stateDir });
  const home = join(stateDir, "home");
  return {
    emu,
    stateDir,
    kubectl: (bin, args, input) =>
      new Promise((resolve) => {
        const child = execFile(
          bin,
          args,
          {
            env: {
              PATH: process.env.PATH ?? "",
              HOME: home,
              KUBECONFIG: emu.kubeconfigPath,
              KUBECACHEDIR: join(home, "cache"),
              NO_COLOR: "1",
            },
            timeout: 30_000,
          },
          (err, stdout, stderr) => {
            const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
            resolve({ code, stdout, stderr });
          },
        );
        if (input !== undefined) child.stdin?.end(input);
      }),
    async stop() {
      await emu.close();
      if (!opts.stateDir) await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** Every `kubectl.1.NN` next to the real kubectl (the gcloud layout), oldest first. */
export function kubectlBinaries(): { version: string; bin: string }[] {
  const dirs = (process.env.PATH ?? "").split(":");
  for (const d of dirs) {
    try {
      const real = dirname(realpathSync(join(d, "kubectl")));
      const found = readdirSync(real)
        .filter((f) => /^kubectl\.1\.\d+$/.test(f))
        .map((f) => ({ version: f.slice("kubectl.".length), bin: join(real, f) }))
        .sort((a, b) => Number(a.version.split(".")[1]) - Number(b.version.split(".")[1]));
      if (found.length) return found;
    } catch {
      // not here
    }
  }
  // Machines without the versioned binaries (e.g. a GitHub runner): the plain kubectl, if any.
  const plain = dirs.map((d) => join(d, "kubectl")).find((p) => existsSync(p));
  return plain ? [{ version: "default", bin: plain }] : [];
}
