/** The human rendering of `plsctl verify`: each step with its time, the HTTP answer, the verdict. */
import { stepTime, type VerifyResult } from "../domain/verify.js";
import type { Colors } from "./colors.js";

export function renderVerify(r: VerifyResult, c: Colors): string {
  const target = `${r.target.host}:${r.target.port}`;
  // The first line says the mode: through the sandbox's partner network, or dialled from here.
  const mode =
    r.via === "proxy"
      ? "through the sandbox's partner network (PLSCTL_SANDBOX_PROXY)"
      : "directly from this machine (no PLSCTL_SANDBOX_PROXY)";
  const lines = [`Verifying ${target} ${mode}`];
  for (const s of r.steps) {
    const mark = s.ok ? c.green("ok  ") : c.red("FAIL");
    const time = stepTime(s);
    lines.push(`  ${mark} ${s.step.padEnd(8)} ${(time || c.dim("-")).padStart(7)}  ${s.detail}`);
  }
  if (r.http) {
    lines.push("", `HTTP ${r.http.status}`);
    for (const [k, v] of Object.entries(r.http.headers)) lines.push(`  ${k}: ${v}`);
    if (r.http.sourceIp) lines.push(`  (the pod saw the connection come from ${r.http.sourceIp})`);
    if (r.http.linkIdentifier) lines.push(linkIdLine(r.http.linkIdentifier));
    const body = r.http.body.replace(/\s+/g, " ").trim();
    if (body) lines.push(`  ${c.dim(body.length > 120 ? `${body.slice(0, 120)}…` : body)}`);
  }
  lines.push("");
  if (r.reached) lines.push(c.green(`Reached ${target}.`));
  else {
    lines.push(c.red(`Not reached: ${r.cause?.message ?? "the connection did not go through."}`));
    if (r.cause?.hint) lines.push(r.cause.hint);
  }
  return `${lines.join("\n")}\n`;
}

/** The PROXY protocol line: the partner's link id, and how the provider finds who it is. */
function linkIdLine(linkId: string): string {
  return `  (PROXY protocol v2: link id ${linkId}; the provider finds the partner with plsctl connections --link-id ${linkId})`;
}
