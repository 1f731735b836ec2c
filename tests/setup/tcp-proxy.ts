// A TCP proxy between the app and a test SMTP server, so a test can break the network
// the way it breaks in real life: cut a connection after some bytes (a drop mid-message)
// or stop forwarding without closing (a relay that hangs, so the client times out).
import net from "node:net";
import type { AddressInfo } from "node:net";

export interface TcpProxy {
  url: string;
  /** Connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

export interface TcpProxyOptions {
  /** For connection number `n` (from 1): cut it after this many client bytes, stall it after them, or leave it alone. */
  plan?: (n: number) => { cutAfter: number } | { stallAfter: number } | null;
}

export async function startTcpProxy(targetPort: number, { plan = () => null }: TcpProxyOptions = {}): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const state = { connections: 0 };
  const server = net.createServer((client) => {
    const n = ++state.connections;
    const rule = plan(n);
    const upstream = net.connect(targetPort, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => undefined);
    }
    let seen = 0;
    let stalled = false;
    client.on("data", (chunk: Buffer) => {
      if (stalled) return;
      seen += chunk.length;
      if (rule && "cutAfter" in rule && seen > rule.cutAfter) {
        client.destroy();
        upstream.destroy();
        return;
      }
      if (rule && "stallAfter" in rule && seen > rule.stallAfter) {
        stalled = true;
        return;
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (!stalled) client.write(chunk);
    });
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
