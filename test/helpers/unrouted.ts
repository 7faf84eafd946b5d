/**
 * An unexpected request is an error, never a silent answer: the sandbox counts the requests no
 * route matched (ARM lists them, the Kubernetes API counts them). Flow suites mark the counters
 * before each test and check after it that nothing new was unrouted (test/helpers/flow-sandbox.ts).
 */
import type { TestSandbox } from "../sandbox/helpers/sandbox.js";

export interface UnroutedMark {
  arm: number;
  kube: number;
}

/** Where the unrouted counters stand now. */
export function markUnrouted(sb: TestSandbox): UnroutedMark {
  return { arm: sb.arm.counters().unrouted.length, kube: sb.kube.counters().unrouted };
}

/** The requests no route matched since `mark`: ARM's as `METHOD path`, Kubernetes' as a count. */
export function unroutedSince(sb: TestSandbox, mark: UnroutedMark): string[] {
  const arm = sb.arm
    .counters()
    .unrouted.slice(mark.arm)
    .map((r) => `ARM: ${r}`);
  const kube = sb.kube.counters().unrouted - mark.kube;
  return kube > 0 ? [...arm, `Kubernetes API: ${kube} request(s) (PLSCTL_TEST_LOG=1 shows them)`] : arm;
}

/** Throws, naming them, when requests went unrouted since `mark`. */
export function assertNothingUnrouted(sb: TestSandbox, mark: UnroutedMark): void {
  const found = unroutedSince(sb, mark);
  if (found.length > 0)
    throw new Error(`the sandbox received requests it has no route for:\n  ${found.join("\n  ")}`);
}
