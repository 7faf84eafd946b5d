/** The world file's `emulator:` settings: loaded as given, every mistake named by its path. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadWorldFile, WorldFileError } from "../../src/sandbox/world-file.js";

const dir = mkdtempSync(join(tmpdir(), "plsctl-world-emulator-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function withEmulator(block: string): string {
  const file = join(dir, `w${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, `${readFileSync("examples/world.yaml", "utf8")}\nemulator:\n${block}`);
  return file;
}

describe("world file emulator settings", () => {
  it("are loaded as given", () => {
    const w = loadWorldFile(
      withEmulator(
        "  pageSize: 2\n  strictReapprove: true\n  networkWriteLimit: { writes: 5, windowSeconds: 60 }\n",
      ),
    );
    expect(w.emulator).toEqual({
      pageSize: 2,
      strictReapprove: true,
      networkWriteLimit: { writes: 5, windowSeconds: 60 },
    });
  });

  it("load ARM's token buckets as given", () => {
    const w = loadWorldFile(
      withEmulator(
        "  armWriteBucket: { burst: 200, refillPerSecond: 100 }\n  armReadBucket: { burst: 9, refillPerSecond: 0.5 }\n",
      ),
    );
    expect(w.emulator).toEqual({
      armWriteBucket: { burst: 200, refillPerSecond: 100 },
      armReadBucket: { burst: 9, refillPerSecond: 0.5 },
    });
  });

  it("name every mistake", () => {
    let err: unknown;
    try {
      loadWorldFile(
        withEmulator(
          "  pageSize: 0\n  strictReapprove: yes please\n  networkWriteLimit: 5\n  pagesize: 3\n  connectionWriteMs: -1\n",
        ),
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WorldFileError);
    expect((err as WorldFileError).problems).toEqual([
      "emulator.pagesize: unknown setting (known: pageSize, strictReapprove, networkWriteLimit, connectionWriteMs, armReadBucket, armWriteBucket, armDeleteBucket, aliasPropagationMs, graphQuota)",
      "emulator.pageSize: must be an integer >= 1",
      "emulator.strictReapprove: must be true or false",
      "emulator.connectionWriteMs: must be a number of milliseconds >= 0",
      "emulator.networkWriteLimit: must be {writes: integer >= 1, windowSeconds: integer >= 1}",
    ]);
  });
});
