/**
 * Microsoft.Network serialises the writes on a private link service: while the PLS is `Updating`
 * (a PUT still provisioning) or another write to it or to one of its connections runs, a
 * connection write is refused with 429 `RetryableErrorDueToAnotherOperation` and a Retry-After
 * (learn.microsoft.com, "Understand how Azure Resource Manager throttles requests": "the network
 * resource provider returns 429 with the RetryableErrorDueToAnotherOperation error code when the
 * target resource is locked by another operation"; Azure/azure-libraries-for-net#1001).
 */
import { ArmError } from "./errors.js";
import type { Ctx } from "./router.js";
import type { PlsLock, Resource } from "./types.js";
import { guid, key } from "./util.js";

const seconds = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));

function inUse(pls: Resource, operation: string, other: string, otherId: string, ms: number) {
  return new ArmError(
    429,
    "RetryableErrorDueToAnotherOperation",
    `Operation ${operation} (${guid()}) is not allowed since the private link service ${pls.name} is in use by another operation ${other} (${otherId}). Please retry the operation after some time.`,
    { "Retry-After": seconds(ms) },
  );
}

/** Throws the 429 when a connection write (`operation`) cannot run on `pls` now. */
export function checkPlsFree(c: Ctx, pls: Resource, operation: string, o: { updating: boolean }): void {
  const now = c.emu.now();
  const lock = c.emu.locks.get(key(pls.id));
  if (lock) throw inUse(pls, operation, lock.operation, lock.id, lock.until - now);
  if (o.updating && pls.properties.provisioningState === "Updating") {
    const op = Object.values(c.state.operations).find(
      (x) => x.status === "InProgress" && x.settle.includes(key(pls.id)),
    );
    throw inUse(
      pls,
      operation,
      "PutPrivateLinkServiceOperation",
      op?.id ?? guid(),
      (op?.doneAt ?? now) - now,
    );
  }
}

/**
 * Runs a connection write on `pls`: refused while the PLS is busy; holds the PLS for
 * `connectionWriteMs` (emulator clock) before `write` runs, so concurrent writes meet the lock.
 */
export async function withPlsLock<T>(c: Ctx, pls: Resource, operation: string, write: () => T): Promise<T> {
  checkPlsFree(c, pls, operation, { updating: true });
  const ms = c.emu.settings.connectionWriteMs;
  if (ms <= 0) return write();
  const k = key(pls.id);
  const lock: PlsLock = { operation, id: guid(), until: c.emu.now() + ms };
  c.emu.locks.set(k, lock);
  try {
    await c.emu.sleep(ms);
    return write();
  } finally {
    if (c.emu.locks.get(k) === lock) c.emu.locks.delete(k);
  }
}
