/**
 * `plsctl demo` end to end, as a user runs it (target: under 20 s by default): the built bundle
 * spawned with `bin/plsctl.js demo`, wall time from spawn to exit (the whole walkthrough: sandbox
 * start, deploy, expose, connect, approve, connect again, the HTTP request, sandbox removal).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median } from "./lib/common.js";

const RUNS = Number(process.env.BENCH_DEMO_RUNS ?? 3);

function runDemo(home: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, ["bin/plsctl.js", "demo"], {
      env: { PATH: process.env.PATH ?? "", HOME: home, NO_COLOR: "1" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) reject(new Error(`plsctl demo exited ${code}: ${stderr}`));
      else resolve(ms);
    });
  });
}

export default async function bench(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), "plsctl-bench-demo-"));
  try {
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await runDemo(home));
    const ms = median(runs);
    console.log(`\nplsctl demo, the whole walkthrough (${RUNS} runs, median)`);
    console.log(
      `  wall: ${(ms / 1000).toFixed(1)} s (target < 20 s); runs: ${runs.map((r) => (r / 1000).toFixed(1)).join(", ")} s`,
    );
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
