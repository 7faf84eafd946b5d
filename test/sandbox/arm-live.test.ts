/**
 * The ARM emulator's live parts without its server (src/sandbox/arm/live.ts): writes are saved
 * behind (flush writes them at once), a reset goes back to the start world and its settings and
 * keeps the token map the emulator handed out current, and the admin token is not among them.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adminDeps, adminToken, createLive, flush, resetLive } from "../../src/sandbox/arm/live.js";
import { STATE_FILE } from "../../src/sandbox/arm/state.js";
import { defaultWorld } from "../../src/sandbox/world.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "plsctl-arm-live-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const onDisk = () => JSON.parse(readFileSync(join(dir, STATE_FILE), "utf8")) as { world: unknown };

describe("the ARM emulator's live parts", () => {
  it("saves a change behind, and flush writes it at once", () => {
    const live = createLive({ stateDir: dir });
    live.state.world.emulator = { pageSize: 3 };
    live.deps.save();
    expect(live.saveTimer).toBeDefined();
    expect(onDisk().world).not.toMatchObject({ emulator: { pageSize: 3 } });
    flush(live);
    expect(live.saveTimer).toBeUndefined();
    expect(onDisk().world).toMatchObject({ emulator: { pageSize: 3 } });
  });

  it("hands out every identity's token but the admin's, and a reset keeps that map current", async () => {
    const live = createLive({ stateDir: dir, settings: { pageSize: 7 } });
    const handedOut = live.publicTokens;
    const names = defaultWorld().identities.map((i) => i.name);
    expect(Object.keys(handedOut).sort()).toEqual([...names].sort());
    expect(Object.values(handedOut)).not.toContain(adminToken(live));
    expect(live.byToken.get(handedOut[names[0] ?? ""] ?? "")?.name).toBe(names[0]);

    adminDeps(live).setSettings({ pageSize: 2 });
    expect(live.emu.settings.pageSize).toBe(2);
    const world = defaultWorld();
    world.identities.push({ ...(world.identities[0] as (typeof world.identities)[number]), name: "auditor" });
    await resetLive(live, world);
    expect(live.emu.settings.pageSize).toBe(7);
    expect(live.publicTokens).toBe(handedOut);
    expect(handedOut.auditor).toMatch(/\S/);
    expect(live.byToken.get(handedOut.auditor ?? "")?.name).toBe("auditor");
  });
});
