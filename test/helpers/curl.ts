/** curl, where the machine has it: tests that drive the sandbox's partner network as a user would. */
import { execFile, execFileSync } from "node:child_process";

function curlBinary(): string | undefined {
  try {
    execFileSync("curl", ["--version"], { stdio: "ignore" });
    return "curl";
  } catch {
    return undefined;
  }
}

export const CURL = curlBinary();
export const NO_CURL = "curl is not installed (not on PATH)";

/** curl with no proxy variables from the environment: only the flags given. */
export function curl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      CURL ?? "curl",
      ["-sS", "-i", "--max-time", "20", ...args],
      { env: { PATH: process.env.PATH ?? "" } },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
