/** `npm run soak` flags: --minutes N (SOAK_MINUTES), --seed N (SOAK_SEED), --parallel N, --json. */
export interface SoakOptions {
  minutes: number;
  seed: number;
  parallel: number;
  json: boolean;
}

const USAGE =
  "usage: npm run soak -- [--minutes N] [--seed N] [--parallel N] [--json]\n" +
  "  --minutes  how long to run operations (default 30; env SOAK_MINUTES)\n" +
  "  --seed     the random seed (default: random; env SOAK_SEED), printed at start\n" +
  "  --parallel plsctl processes at a time (default 4)\n" +
  "  --json     the final report as JSON on stdout";

export class UsageError extends Error {
  constructor(message: string) {
    super(`${message}\n${USAGE}`);
  }
}

function number(flag: string, raw: string | undefined, min: number): number {
  const n = Number(raw);
  if (raw === undefined || raw === "" || !Number.isFinite(n) || n < min) {
    throw new UsageError(`${flag} takes a number ≥ ${min}, got ${raw ?? "nothing"}`);
  }
  return n;
}

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): SoakOptions {
  const o: SoakOptions = {
    minutes: env.SOAK_MINUTES ? number("SOAK_MINUTES", env.SOAK_MINUTES, 0) : 30,
    seed: env.SOAK_SEED ? number("SOAK_SEED", env.SOAK_SEED, 0) : Math.floor(Math.random() * 2 ** 31),
    parallel: 4,
    json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.includes("=") ? arg.split("=", 2) : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    if (flag === "--minutes") o.minutes = number(flag, value(), 0);
    else if (flag === "--seed") o.seed = Math.floor(number(flag, value(), 0));
    else if (flag === "--parallel") o.parallel = Math.floor(number(flag, value(), 1));
    else if (flag === "--json") o.json = true;
    else if (flag === "--help" || flag === "-h") throw new UsageError("");
    else throw new UsageError(`unknown flag ${arg}`);
  }
  return o;
}
