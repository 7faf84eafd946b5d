/**
 * `plsctl netpol` prints exactly the checked-in manifests (test/fixtures/netpol/), for a PLS the
 * sandbox's controller made with two NAT IPs it picked itself: the NAT IPs as /32 sources, the
 * Service's selector and target ports (numeric and named). Change a golden file only on purpose:
 * `npx vitest run test/flows/netpol-golden.test.ts -u`, then review the diff.
 */
import { describe, expect, it } from "vitest";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { createService, INTERNAL } from "../sandbox/helpers/services.js";

const t = useSandbox();

describe("netpol golden manifests", () => {
  it("prints the NetworkPolicy and the CiliumNetworkPolicy of a real PLS", async () => {
    await createService(t.core, "golden", INTERNAL, {
      selector: { app: "golden", tier: "web" },
      externalTrafficPolicy: "Local",
      ports: [
        { name: "http", protocol: "TCP", port: 80, targetPort: 8080 },
        { name: "admin", protocol: "TCP", port: 9443, targetPort: "admin" },
      ],
    });
    const exposed = await runCli(
      [
        "expose",
        "golden",
        "--pls-name",
        "pls-golden",
        "--nat-subnet",
        "pls-nat-subnet",
        "--nat-ip-count",
        "2",
        "-o",
        "json",
      ],
      { env: t.env },
    );
    expect(exposed.code, exposed.stderr).toBe(0);
    const natIps: string[] = JSON.parse(exposed.stdout).natIps;
    expect(natIps).toHaveLength(2);

    const k8s = await runCli(["netpol", "golden", "--allow-cidr", "10.240.0.0/16"], { env: t.env });
    expect(k8s.code, k8s.stderr).toBe(0);
    for (const ip of natIps) expect(k8s.stdout).toContain(`cidr: ${ip}/32`);
    await expect(k8s.stdout).toMatchFileSnapshot("../fixtures/netpol/golden.networkpolicy.yaml");

    const cilium = await runCli(["netpol", "golden", "--flavor", "cilium", "--allow-cidr", "10.240.0.0/16"], {
      env: t.env,
    });
    expect(cilium.code, cilium.stderr).toBe(0);
    for (const ip of natIps) expect(cilium.stdout).toContain(`- ${ip}/32`);
    await expect(cilium.stdout).toMatchFileSnapshot("../fixtures/netpol/golden.ciliumnetworkpolicy.yaml");

    const json = await runCli(["netpol", "golden", "-o", "json", "--allow-cidr", "10.240.0.0/16"], {
      env: t.env,
    });
    expect(json.code).toBe(0);
    const { parse } = await import("yaml");
    expect(JSON.parse(json.stdout)).toEqual(parse(k8s.stdout));
  });
});
