import { createServer } from 'node:http';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** When the request arrived (ms since epoch). */
  at: number;
}

/** How the receiver answers one request. */
export type ReceiverReply =
  | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  /** Never answers (until the client gives up or the receiver closes). */
  | { hang: true }
  /** Answers 200 and then streams bytes without end. */
  | { endless: true };

export interface WebhookReceiver {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  received: ReceivedWebhook[];
  /** Replies for the next requests, in order; once used up, `fallback` answers. */
  script(...replies: ReceiverReply[]): void;
  fallback: ReceiverReply;
  /** Resolves once `n` requests have arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

/**
 * A local HTTP endpoint standing in for a client's webhook receiver: it
 * records every request (headers, raw body) and answers as scripted.
 */
export async function startWebhookReceiver(host = '127.0.0.1'): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const queue: ReceiverReply[] = [];
  const waiters = new Set<() => void>();
  const open = new Set<ServerResponse>();
  const receiver: WebhookReceiver = {
    url: '',
    received,
    script: (...replies) => void queue.push(...replies),
    fallback: { status: 200, body: 'ok' },
    waitFor(n, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (received.length < n) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(received.slice());
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`receiver got ${received.length} of ${n} requests within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise((resolve) => {
        for (const res of open) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      });
      for (const w of [...waiters]) w();
      reply(res, queue.shift() ?? receiver.fallback);
    });
    open.add(res);
    res.on('close', () => open.delete(res));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  receiver.url = `http://${host}:${(server.address() as AddressInfo).port}`;
  return receiver;
}

function reply(res: ServerResponse, r: ReceiverReply): void {
  if ('hang' in r) return;
  if ('endless' in r) {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const chunk = Buffer.alloc(16 * 1024, 'x');
    const timer = setInterval(() => res.write(chunk), 2);
    res.on('close', () => clearInterval(timer));
    return;
  }
  const send = () => res.writeHead(r.status, r.headers ?? {}).end(r.body ?? '');
  if (r.delayMs) setTimeout(send, r.delayMs);
  else send();
}
