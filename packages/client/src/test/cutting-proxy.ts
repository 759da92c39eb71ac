import { createServer, connect } from 'node:net';
import type { Server, Socket } from 'node:net';

export interface CuttingProxy {
  url: string;
  /** The request head of every connection that asked for an event stream. */
  streamRequests: string[];
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of the api that breaks the first event-stream
 * connection once `cutAfterEvents` SSE events have gone through: the wire
 * failure a client sees when a load balancer or a network drops it.
 */
export async function startCuttingProxy(target: string, cutAfterEvents: number): Promise<CuttingProxy> {
  const { hostname, port } = new URL(target);
  const streamRequests: string[] = [];
  const sockets = new Set<Socket>();
  let cut = false;
  const server: Server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    let isStream = false;
    let events = 0;
    client.on('data', (chunk: Buffer) => {
      const head = chunk.toString('latin1');
      if (/^GET \S+\/events /.test(head)) {
        isStream = true;
        streamRequests.push(head);
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      client.write(chunk);
      if (!isStream || cut) return;
      events += chunk.toString('utf8').split('\n\n').length - 1;
      if (events >= cutAfterEvents) {
        cut = true;
        client.destroy();
        upstream.destroy();
      }
    });
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const proxyPort = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${proxyPort}`,
    streamRequests,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
