// `npm run bench`: the figures the issues ask for, measured on this machine.
// Cold start: `plsctl --version` / `--help` against bare `node -e 0`, medians over repeated runs.
// Further sections (expose detection lag, ARM reads per minute) live in scripts/bench/*.ts; they
// import the sources, so they are bundled with esbuild first. BENCH_ONLY=startup skips them;
// BENCH_ONLY=status,expose runs only those (by file name).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { importTs } from "./import-ts.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 21);

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Runs the commands round-robin (so machine noise hits all alike) and returns their medians. */
function timeAll(commands) {
  const samples = commands.map(() => []);
  for (let i = 0; i < RUNS + 2; i++) {
    commands.forEach((args, c) => {
      const start = process.hrtime.bigint();
      const r = spawnSync(process.execPath, args, {
        stdio: ["ignore", "ignore", "pipe"],
        env: { ...process.env, NO_COLOR: "1" },
      });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
      if (i >= 2) samples[c].push(ms); // two warm-up rounds (compile cache, page cache)
    });
  }
  return samples.map(median);
}

if (!existsSync("dist/cli.js")) {
  console.error("dist/cli.js is missing: run `npm run build` first.");
  process.exit(1);
}

console.log(`node ${process.version}, ${RUNS} runs each, medians`);
const [bare, version, help] = timeAll([
  ["-e", "0"],
  ["bin/plsctl.js", "--version"],
  ["bin/plsctl.js", "--help"],
]);
const row = (name, ms) =>
  `${name.padEnd(24)}${ms.toFixed(1).padStart(8)} ms   ${(ms / bare).toFixed(2)}× node`;
console.log("\nCold start");
console.log(row("node -e 0", bare));
console.log(row("plsctl --version", version));
console.log(row("plsctl --help", help));

const dir = join("scripts", "bench");
const only = process.env.BENCH_ONLY?.split(",").map((s) => s.trim());
if (existsSync(dir) && !only?.includes("startup")) {
  // Bundled inside the project, so the bundle resolves node_modules.
  const out = mkdtempSync(join("node_modules", ".plsctl-bench-"));
  try {
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith(".ts") && (!only || only.includes(f.replace(/\.ts$/, ""))))
      .sort()) {
      const outfile = join(out, file.replace(/\.ts$/, ".mjs"));
      const mod = await importTs(join(dir, file), outfile);
      await mod.default();
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
