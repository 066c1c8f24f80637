import WebSocket from "ws";

/**
 * A socket.io client spoken by hand over a bare `ws` WebSocket, for what a well-behaved client
 * never does: stop reading while it keeps sending, answer heartbeats blindly, send raw packets
 * (acknowledgements nobody asked for). Frames are engine.io v4 / socket.io v5 text packets.
 */
export class RawSocket {
  /** Text frames received while reading, in order. */
  readonly frames: string[] = [];
  readonly closed: Promise<void>;
  private ackIds = 0;
  private pongTimer: NodeJS.Timeout | undefined;

  private constructor(private readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.once("close", () => resolve()));
    ws.on("message", (data) => this.frames.push(String(data)));
    void this.closed.then(() => clearInterval(this.pongTimer));
  }

  /** Opens the WebSocket and completes the socket.io handshake (engine open, namespace connect). */
  static async open(url: string): Promise<RawSocket> {
    const ws = new WebSocket(`${url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`);
    const raw = new RawSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("error", reject);
      ws.on("message", function onMessage(data) {
        const frame = String(data);
        if (frame.startsWith("0{")) ws.send("40");
        else if (frame.startsWith("40")) {
          ws.off("message", onMessage);
          ws.off("error", reject);
          resolve();
        } else if (frame.startsWith("44")) reject(new Error(`connect refused: ${frame}`));
      });
    });
    ws.on("error", () => {}); // a cut-off socket may see ECONNRESET: the test watches `closed`
    return raw;
  }

  send(frame: string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
  }

  /** Sends an event with an acknowledgement id (the answer, if read, is frame `43<id>[…]`). */
  emit(event: string, payload: unknown): number {
    const id = this.ackIds++;
    this.send(`42${id}${JSON.stringify([event, payload])}`);
    return id;
  }

  /**
   * Stops reading from the TCP socket: everything the server sends piles up, first in the
   * kernel's buffers, then in the server's. Heartbeats are answered blindly so that the server's
   * ping timeout does not end the socket: only the server's own limits can.
   */
  stopReading(): void {
    (this.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    this.pongTimer = setInterval(() => this.send("3"), 5_000);
  }

  resumeReading(): void {
    clearInterval(this.pongTimer);
    (this.ws as unknown as { _socket: { resume(): void } })._socket.resume();
  }

  /** The socket.io events received so far, decoded (`42["name",payload]`). */
  events(): { name: string; payload: unknown }[] {
    return this.frames
      .filter((frame) => frame.startsWith("42["))
      .map((frame) => {
        const [name, payload] = JSON.parse(frame.slice(2)) as [string, unknown];
        return { name, payload };
      });
  }

  /** The acknowledgement with this id, decoded, if it has arrived. */
  answer(id: number): unknown {
    const prefix = `43${id}[`;
    const frame = this.frames.find((candidate) => candidate.startsWith(prefix));
    return frame === undefined ? undefined : (JSON.parse(frame.slice(prefix.length - 1)) as unknown[])[0];
  }

  /** Drops the TCP connection at once. */
  terminate(): void {
    clearInterval(this.pongTimer);
    this.ws.terminate();
  }
}
