/** Reads a handshake off a socket in exact byte counts, then hands the socket back untouched. */
import type { Socket } from "node:net";

export class HandshakeError extends Error {}

export class ByteReader {
  private buf: Buffer;
  private wake: (() => void) | undefined;
  private ended = false;
  private readonly onData = (c: Buffer) => {
    this.buf = Buffer.concat([this.buf, c]);
    if (this.buf.length > this.limit) this.socket.destroy();
    this.wake?.();
  };
  private readonly onEnd = () => {
    this.ended = true;
    this.wake?.();
  };

  constructor(
    private readonly socket: Socket,
    first: Buffer,
    private readonly limit = 64 * 1024,
  ) {
    this.buf = first;
    socket.on("data", this.onData);
    socket.on("end", this.onEnd);
    socket.on("close", this.onEnd);
  }

  private async until(ok: () => boolean): Promise<void> {
    while (!ok()) {
      if (this.ended || this.socket.destroyed) throw new HandshakeError("the client closed the connection");
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }

  async bytes(n: number): Promise<Buffer> {
    await this.until(() => this.buf.length >= n);
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** Everything up to and including `marker` (an HTTP head ends with CRLF CRLF). */
  async through(marker: string, max: number): Promise<Buffer> {
    await this.until(() => {
      if (this.buf.length > max && this.buf.indexOf(marker) < 0)
        throw new HandshakeError(`no ${JSON.stringify(marker)} in the first ${max} bytes`);
      return this.buf.indexOf(marker) >= 0;
    });
    const end = this.buf.indexOf(marker) + marker.length;
    return this.bytes(end);
  }

  /** Stops reading: the socket is paused, and what was read past the handshake is returned. */
  release(): Buffer {
    this.socket.off("data", this.onData);
    this.socket.off("end", this.onEnd);
    this.socket.off("close", this.onEnd);
    this.socket.pause();
    const rest = this.buf;
    this.buf = Buffer.alloc(0);
    return rest;
  }
}
