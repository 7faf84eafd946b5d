/** Pods: v1 defaulting, the obvious validation, and the immutability of the spec on update. */
import { type FieldError, required } from "../errors.js";
import type { KObj } from "../resources.js";
import { canonical, type Dict, dict, list, nameProblem, type Strategy } from "./types.js";

function defaultContainer(c: Dict): void {
  const image = typeof c.image === "string" ? c.image : "";
  const tag = image.includes("@") ? "digest" : (/:([^/:]+)$/.exec(image)?.[1] ?? "latest");
  c.imagePullPolicy ??= tag === "latest" ? "Always" : "IfNotPresent";
  c.terminationMessagePath ??= "/dev/termination-log";
  c.terminationMessagePolicy ??= "File";
  c.resources ??= {};
  for (const p of list(c, "ports")) p.protocol ??= "TCP";
}

function applyDefaults(obj: KObj): void {
  const sp = dict(obj as Dict, "spec");
  for (const c of [...list(sp, "containers"), ...list(sp, "initContainers")]) defaultContainer(c);
  sp.restartPolicy ??= "Always";
  sp.terminationGracePeriodSeconds ??= 30;
  sp.dnsPolicy ??= "ClusterFirst";
  sp.serviceAccountName ??= "default";
  sp.serviceAccount ??= sp.serviceAccountName;
  sp.securityContext ??= {};
  sp.schedulerName ??= "default-scheduler";
  sp.enableServiceLinks ??= true;
  sp.priority ??= 0;
  sp.preemptionPolicy ??= "PreemptLowerPriority";
  sp.tolerations ??= [
    { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
    {
      key: "node.kubernetes.io/unreachable",
      operator: "Exists",
      effect: "NoExecute",
      tolerationSeconds: 300,
    },
  ];
}

function validate(obj: KObj): FieldError[] {
  const errs: FieldError[] = [];
  const sp = dict(obj as Dict, "spec");
  const containers = list(sp, "containers");
  if (containers.length === 0) errs.push(required("spec.containers"));
  containers.forEach((c, i) => {
    const at = `spec.containers[${i}]`;
    if (typeof c.name !== "string" || c.name === "") errs.push(required(`${at}.name`));
    else {
      const why = nameProblem("dns1123label", c.name);
      if (why)
        errs.push({
          type: "FieldValueInvalid",
          field: `${at}.name`,
          detail: `Invalid value: "${c.name}": ${why}`,
        });
    }
    if (typeof c.image !== "string" || c.image.trim() === "") errs.push(required(`${at}.image`));
  });
  return errs;
}

function withoutImages(sp: unknown): string {
  const copy = structuredClone(sp) as Dict;
  for (const c of [...list(copy, "containers"), ...list(copy, "initContainers")]) delete c.image;
  delete copy.activeDeadlineSeconds;
  return canonical(copy);
}

export const podStrategy: Strategy = {
  nameRule: "dns1123subdomain",
  prepareCreate(obj) {
    applyDefaults(obj);
    (obj as Dict).status = { phase: "Pending", qosClass: "BestEffort" };
    return validate(obj);
  },
  prepareUpdate(obj, old) {
    applyDefaults(obj);
    const errs = validate(obj);
    const sp = dict(obj as Dict, "spec");
    const oldSp = dict(old as Dict, "spec");
    // Scheduling fields are set by the scheduler through binding; keep them.
    if (oldSp.nodeName !== undefined) sp.nodeName ??= oldSp.nodeName;
    if (withoutImages(sp) !== withoutImages(oldSp)) {
      errs.push({
        type: "FieldValueForbidden",
        field: "spec",
        detail:
          "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
      });
    }
    return errs;
  },
};
