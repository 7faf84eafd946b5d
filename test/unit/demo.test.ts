import { describe, expect, it } from "vitest";
import { connectLine, demoSteps, pageTitle, sourceKind } from "../../src/domain/demo.js";

const partner = { subscriptionId: "9a8b", resourceGroup: "rg-partner", vnet: "spoke01", subnet: "pe-subnet" };

describe("demo domain", () => {
  it("quotes what the shell would split", () => {
    expect(connectLine("pls-app.x.westeurope.azure.privatelinkservice", partner)).toContain(
      "--request-message 'fabrikam ticket 42'",
    );
    const steps = demoSteps("A", partner, "app.fabrikam.internal");
    expect(steps.at(-1)?.commands).toEqual([
      "plsctl verify --endpoint pe-fabrikam --resource-group rg-partner --address app.fabrikam.internal --http /",
      'curl -i --proxytunnel --proxy "$PLSCTL_SANDBOX_PROXY" http://app.fabrikam.internal/',
    ]);
  });

  it("reads the page's title, else its first h1, entities decoded", () => {
    expect(pageTitle("<head><title>A &amp; B</title></head>")).toBe("A & B");
    expect(pageTitle("<body><h1>\n  Hello\n</h1></body>")).toBe("Hello");
    expect(pageTitle("no html")).toBeNull();
  });

  it("names the source a pod saw", () => {
    expect(sourceKind("10.1.0.5", ["10.1.0.5"], ["10.2.0.4"])).toBe("nat-ip");
    expect(sourceKind("10.2.0.4", ["10.1.0.5"], ["10.2.0.4"])).toBe("node-ip");
    expect(sourceKind(null, [], [])).toBe("other");
  });
});
