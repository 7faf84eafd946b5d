import { describe, expect, it } from "vitest";
import { connectLine, demoSteps, pageTitle, sourceKind } from "../../src/domain/demo.js";
import { parseAnswer } from "../../src/net/http-get.js";

const partner = { subscriptionId: "9a8b", resourceGroup: "rg-partner", vnet: "spoke01", subnet: "pe-subnet" };

describe("demo domain", () => {
  it("quotes what the shell would split", () => {
    expect(connectLine("pls-app.x.westeurope.azure.privatelinkservice", partner)).toContain(
      "--request-message 'fabrikam ticket 42'",
    );
    const steps = demoSteps("A", partner, "http://app.fabrikam.internal/");
    expect(steps.at(-1)?.commands).toEqual([
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

describe("parseAnswer (net/http-get.ts)", () => {
  it("parses the head and decodes a chunked body", () => {
    const raw = Buffer.from(
      "HTTP/1.1 200 OK\r\nX-Sandbox-Pod: p\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
    );
    expect(parseAnswer("http://h/", raw)).toEqual({
      url: "http://h/",
      status: 200,
      statusLine: "HTTP/1.1 200 OK",
      headers: { "x-sandbox-pod": "p", "transfer-encoding": "chunked" },
      body: "hello world",
    });
  });

  it("refuses what is not HTTP", () => {
    expect(() => parseAnswer("http://h/", Buffer.from("SSH-2.0\r\n\r\n"))).toThrow(/no valid HTTP answer/);
    expect(() => parseAnswer("http://h/", Buffer.from("HTTP/1.1 200 OK"))).toThrow(/no valid HTTP answer/);
  });
});
