import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorBody } from '@inferq/core';
import type { Logger } from '@inferq/core';
import type { MetricsEndpoint } from './metrics-endpoint';

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

type Answer = { status: number; type: string; body: string; headers?: Record<string, string> };

/**
 * /healthz, /readyz and /metrics for processes that serve no HTTP of their
 * own (worker, dispatcher). `extra` answers further paths.
 */
export async function startHealthServer(opts: {
  host: string;
  port: number;
  ready: () => Promise<boolean>;
  /** GET /metrics (with its METRICS_TOKEN check), see `metricsEndpoint`. */
  metrics?: MetricsEndpoint;
  extra?: (path: string, headers: IncomingHttpHeaders) => Promise<Answer | undefined>;
  /** Where an endpoint that throws is reported (it answers 500). */
  logger?: Logger;
}): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const send = (a: Answer) => {
      res.writeHead(a.status, { 'content-type': a.type, ...a.headers }).end(a.body);
    };
    const json = (status: number, body: unknown) =>
      send({ status, type: 'application/json', body: JSON.stringify(body) });
    void (async () => {
      if (path === '/healthz') return json(200, { status: 'ok' });
      if (path === '/readyz') {
        return (await opts.ready())
          ? json(200, { status: 'ready' })
          : json(503, errorBody('unavailable', 'Redis does not answer'));
      }
      if (path === '/metrics' && opts.metrics) return send(await opts.metrics(req.headers.authorization));
      const answer = await opts.extra?.(path, req.headers);
      if (answer) return send(answer);
      json(404, errorBody('not_found', `no route ${path}`));
    })().catch((err: unknown) => {
      opts.logger?.error({ err, path }, 'health endpoint failed');
      json(500, errorBody('internal_error', 'internal error'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Keep-alive scrapers would hold close() open until they time out.
        server.closeIdleConnections();
      }),
  };
}
