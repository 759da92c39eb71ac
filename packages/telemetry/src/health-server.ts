import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorBody } from '@inferq/core';

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * /healthz and /readyz for processes that serve no HTTP of their own
 * (worker, dispatcher). `extra` answers further paths such as /metrics.
 */
export async function startHealthServer(opts: {
  host: string;
  port: number;
  ready: () => Promise<boolean>;
  extra?: (path: string) => Promise<{ status: number; type: string; body: string } | undefined>;
}): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type }).end(body);
    };
    void (async () => {
      if (path === '/healthz') return send(200, 'application/json', '{"status":"ok"}');
      if (path === '/readyz') {
        return (await opts.ready())
          ? send(200, 'application/json', '{"status":"ready"}')
          : send(503, 'application/json', JSON.stringify(errorBody('unavailable', 'Redis does not answer')));
      }
      const answer = await opts.extra?.(path);
      if (answer) return send(answer.status, answer.type, answer.body);
      send(404, 'application/json', JSON.stringify(errorBody('not_found', `no route ${path}`)));
    })().catch(() => send(500, 'application/json', JSON.stringify(errorBody('internal_error', 'internal error'))));
  });
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
