/** `plsctl sandbox`: the group of the sandbox's commands, one file each. */
import { defineGroup } from "../declare.js";
import { env } from "./env.js";
import { faults } from "./faults.js";
import { request } from "./request.js";
import { requests } from "./requests.js";
import { reset } from "./reset.js";
import { status } from "./status.js";
import { up } from "./up.js";

export const sandbox = defineGroup({
  name: "sandbox",
  summary: "run Azure Resource Manager, a Kubernetes API and the AKS controller locally",
  description:
    "The sandbox: local emulators of Azure Resource Manager and of the Kubernetes API, plus a simulated AKS cloud controller, speaking the real wire protocols. plsctl, kubectl and other ARM clients work against it unchanged — try plsctl, or test CI scripts, without an Azure subscription.",
  examples: [
    "plsctl sandbox up                                  # terminal 1 (Ctrl-C stops it; state is kept)",
    'eval "$(plsctl sandbox env)"                       # terminal 2: act as the cluster operator',
    "kubectl apply -f examples/sample-app.yaml && plsctl expose sample-app",
    "plsctl sandbox reset                               # back to the default world",
  ],
  commands: [up, env, status, requests, request, reset, faults],
});
