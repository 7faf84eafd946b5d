/**
 * The sandbox's own security: it listens on loopback only (other bind addresses are refused, by
 * its start options and by `plsctl sandbox up --host`), and its state directory is owner-only —
 * 0700, every file 0600 — after a start, after a reset (running or not), with a permissive umask,
 * and when it starts in a directory an older plsctl left readable to others.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startArmEmulator } from "../../src/sandbox/arm/index.js";
import { clearState, startSandbox } from "../../src/sandbox/index.js";
import { startKubeEmulator } from "../../src/sandbox/kube/index.js";
import { defaultWorld } from "../../src/sandbox/world.js";
import { runCli } from "../helpers/run-cli.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "plsctl-security-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Every net.Server this process has listening now (HTTPS servers are net.Servers). */
function listeningServers(): net.Server[] {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((h): h is net.Server => h instanceof net.Server && h.listening);
}

/** `path mode` for the directory and everything in it. */
function modes(root: string): string[] {
  const out = [`. ${(statSync(root).mode & 0o777).toString(8)}`];
  for (const e of readdirSync(root, { withFileTypes: true, recursive: true })) {
    const p = join(e.parentPath, e.name);
    out.push(`${p.slice(root.length + 1)} ${(statSync(p).mode & 0o777).toString(8)}`);
  }
  return out;
}
const loose = (root: string) =>
  modes(root).filter((l) => !(l.endsWith(" 600") || (l.startsWith(". ") && l.endsWith(" 700"))));

describe("the sandbox binds loopback only", () => {
  it("every server it opens listens on 127.0.0.1", async () => {
    const before = new Set(listeningServers());
    const sb = await startSandbox({ stateDir: dir });
    try {
      const opened = listeningServers().filter((s) => !before.has(s));
      expect(opened.length).toBeGreaterThanOrEqual(2); // ARM and Kubernetes
      for (const s of opened) expect((s.address() as net.AddressInfo).address).toBe("127.0.0.1");
      expect(sb.runtime.arm.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(sb.runtime.kube.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await sb.close();
    }
  });

  it.each(["0.0.0.0", "::", "10.0.0.4", "192.168.1.10", "example.com", "::1"])(
    "refuses host %s in every start option",
    async (host) => {
      const before = listeningServers().length;
      await expect(startSandbox({ stateDir: dir, host })).rejects.toThrow(
        /listens on (loopback|127\.0\.0\.1)/,
      );
      await expect(startArmEmulator({ stateDir: dir, world: defaultWorld(), host })).rejects.toThrow(
        /listens on (loopback|127\.0\.0\.1)/,
      );
      await expect(startKubeEmulator({ stateDir: dir, world: defaultWorld(), host })).rejects.toThrow(
        /listens on (loopback|127\.0\.0\.1)/,
      );
      expect(listeningServers().length).toBe(before);
    },
  );

  it("plsctl sandbox up --host 0.0.0.0 exits 2 and says why", async () => {
    const r = await runCli(["sandbox", "up", "--host", "0.0.0.0", "--state-dir", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /Cannot start the sandbox on --host 0\.0\.0\.0: the sandbox listens on loopback only/,
    );
    expect(r.stderr).toMatch(/forward its ports over SSH/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir)).toEqual([]); // nothing written
  });
});

describe("the state directory is owner-only", () => {
  let umask: number;
  beforeEach(() => {
    umask = process.umask(0); // the most permissive: modes are what the code asks for
  });
  afterEach(() => {
    process.umask(umask);
  });

  it("0700 and 0600 after a start, a running reset and a reset on disk, whatever the umask", async () => {
    const state = join(dir, "fresh", "sandbox"); // parents created too
    const sb = await startSandbox({ stateDir: state });
    try {
      const files = readdirSync(state);
      for (const f of ["ca.key", "ca.crt", "server.key", "server.crt", "arm-tokens.json", "kube-token"])
        expect(files).toContain(f);
      for (const f of ["kubeconfig", "world.json", "sandbox.json", "arm-state.json", "kube-state.json"])
        expect(files).toContain(f);
      expect(loose(state)).toEqual([]);
      await sb.reset();
      expect(loose(state)).toEqual([]);
    } finally {
      await sb.close();
    }
    expect(loose(state)).toEqual([]);
    clearState(state, defaultWorld());
    expect(loose(state)).toEqual([]);
    expect((statSync(join(dir, "fresh")).mode & 0o777).toString(8)).toBe("700");
  });

  it("tightens a state directory an older plsctl left readable to others", async () => {
    const state = join(dir, "old");
    mkdirSync(state, { mode: 0o755 });
    chmodSync(state, 0o755);
    writeFileSync(join(state, "arm-state.json.bak"), "{}", { mode: 0o644 });
    const sb = await startSandbox({ stateDir: state });
    await sb.close();
    expect(loose(state)).toEqual([]);
  });
});
