// `npm run lock:platforms` — keeps package-lock.json valid for `npm ci` everywhere.
//
// The registry these machines reach serves only the Linux glibc builds of some tools' native
// platform packages (e.g. @biomejs/cli-darwin-arm64 answers 404). `npm install` then leaves those
// optional packages out of the lock, and `npm ci` refuses the lock as out of sync. This puts the
// missing entries back the way npm records them (version, os/cpu/libc, optional): `npm ci` skips
// them on other platforms, exactly as with a lock written against the full registry.
// Run it after `npm install` changes the lock; `npm test` fails (lint:lock) when it is needed.
import { readFileSync, writeFileSync } from "node:fs";

const PATH = "package-lock.json";
const lock = JSON.parse(readFileSync(PATH, "utf8"));
const packages = lock.packages;

function platformOf(name) {
  const os = ["android", "darwin", "win32", "linux", "freebsd", "openbsd", "netbsd", "sunos", "aix"].find(
    (o) => name.includes(`-${o}-`),
  );
  const cpu = ["arm64", "x64", "ia32", "arm", "loong64", "mips64el", "ppc64", "riscv64", "s390x"].find((c) =>
    name.includes(`-${c}`),
  );
  if (!os || !cpu) return undefined;
  return { os, cpu, libc: os === "linux" ? (name.endsWith("-musl") ? "musl" : "glibc") : undefined };
}

const missing = [];
for (const [key, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const depKey = `node_modules/${dep}`;
    if (packages[depKey] || packages[`${key}/node_modules/${dep}`]) continue;
    const platform = platformOf(dep);
    if (!platform) continue;
    missing.push(depKey);
    packages[depKey] = {
      version,
      cpu: [platform.cpu],
      ...(entry.dev ? { dev: true } : {}),
      ...(platform.libc ? { libc: [platform.libc] } : {}),
      ...(entry.license ? { license: entry.license } : {}),
      optional: true,
      os: [platform.os],
      ...(entry.engines ? { engines: entry.engines } : {}),
    };
  }
}

if (process.argv.includes("--check")) {
  if (missing.length) {
    console.error(
      `package-lock.json lacks ${missing.length} platform packages (npm ci would refuse it): run npm run lock:platforms`,
    );
    process.exit(1);
  }
  process.exit(0);
}
const [root, ...rest] = Object.entries(packages);
lock.packages = Object.fromEntries([root, ...rest.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
writeFileSync(PATH, `${JSON.stringify(lock, null, 2)}\n`);
console.log(
  missing.length ? `added ${missing.length} entries: ${missing.join(", ")}` : "package-lock.json is complete",
);
