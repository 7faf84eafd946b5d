/**
 * One HTTP/1.1 GET through the loopback CONNECT proxy of the sandbox's partner network
 * (`PLSCTL_SANDBOX_PROXY`): what a VM in the partner's VNet would see with
 * `curl -i --proxytunnel --proxy "$PLSCTL_SANDBOX_PROXY" http://<host>/`. The tunnel is
 * src/net/tunnel.ts `openTunnel`, so only the loopback proxy is ever dialled.
 */
import { ExitCode, PlsctlError } from "../domain/errors.js";
import { openTunnel, type TunnelOptions } from "./tunnel.js";

export interface HttpAnswer {
  /** `http://host[:port]/path`, as asked for. */
  url: string;
  status: number;
  statusLine: string;
  /** Header names in lower case (a repeated header keeps its last value). */
  headers: Record<string, string>;
  body: string;
}

const MAX_ANSWER = 1024 * 1024;

/** Reads the whole answer (`Connection: close`), then parses the head; chunked bodies are decoded. */
export async function httpGetThroughProxy(
  proxyUrl: string,
  host: string,
  port: number,
  path: string,
  o: TunnelOptions = {},
): Promise<HttpAnswer> {
  const url = `http://${host.includes(":") ? `[${host}]` : host}${port === 80 ? "" : `:${port}`}${path}`;
  const { socket } = await openTunnel(proxyUrl, host, port, o);
  const raw = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(
      () =>
        fail(
          new PlsctlError(`No answer from ${url} in time.`, { exitCode: ExitCode.Timeout, code: "Timeout" }),
        ),
      o.timeoutMs ?? 10_000,
    );
    const onAbort = () => fail(new PlsctlError("Interrupted.", { exitCode: ExitCode.Interrupted }));
    o.signal?.addEventListener("abort", onAbort, { once: true });
    function finish() {
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
    }
    function fail(err: Error) {
      finish();
      socket.destroy();
      reject(err);
    }
    socket.on("data", (d: Buffer) => {
      chunks.push(d);
      size += d.length;
      if (size > MAX_ANSWER) fail(new PlsctlError(`The answer of ${url} is larger than 1 MiB.`));
    });
    socket.on("error", (err) => fail(new PlsctlError(`The request to ${url} failed: ${err.message}.`)));
    socket.on("close", () => {
      finish();
      resolve(Buffer.concat(chunks));
    });
    socket.resume();
    socket.write(
      [`GET ${path} HTTP/1.1`, `Host: ${host}`, "User-Agent: plsctl", "Connection: close", "", ""].join(
        "\r\n",
      ),
    );
  });
  return parseAnswer(url, raw);
}

export function parseAnswer(url: string, raw: Buffer): HttpAnswer {
  const end = raw.indexOf("\r\n\r\n");
  if (end < 0) throw new PlsctlError(`${url} sent no valid HTTP answer.`);
  const [statusLine = "", ...lines] = raw.subarray(0, end).toString("latin1").split("\r\n");
  const status = Number(statusLine.split(" ")[1]);
  if (!/^HTTP\/1\.[01] \d{3}/.test(statusLine)) throw new PlsctlError(`${url} sent no valid HTTP answer.`);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(end + 4);
  if (/chunked/i.test(headers["transfer-encoding"] ?? "")) body = dechunk(body);
  return { url, status, statusLine, headers, body: body.toString("utf8") };
}

function dechunk(b: Buffer): Buffer {
  const out: Buffer[] = [];
  let i = 0;
  for (;;) {
    const eol = b.indexOf("\r\n", i);
    if (eol < 0) break;
    const size = Number.parseInt(b.subarray(i, eol).toString("latin1"), 16);
    if (!Number.isFinite(size) || size <= 0) break;
    out.push(b.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}
