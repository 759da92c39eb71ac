import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Behaviour, FakeProvider, FakeProviderOptions, RecordedRequest } from './fake-provider.types';
import type { ProviderProtocol } from './provider-protocol';
import { sendJson } from './sse';

const ECHO: Behaviour = { kind: 'echo' };

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseObject(raw: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

/** A node:http server speaking one provider's protocol, driven by scripted behaviours. */
export async function startFakeServer(
  protocol: ProviderProtocol,
  opts: FakeProviderOptions = {},
): Promise<FakeProvider> {
  const requests: RecordedRequest[] = [];
  let queue: Behaviour[] = [];
  let fallback: Behaviour = opts.default ?? ECHO;
  let closing = false;
  const inflight = new Set<AbortController>();
  // Pending waitForRequests calls: re-checked on each request, cancelled on close.
  const waiters = new Set<{ check: () => void; cancel: () => void }>();

  async function run(
    behaviour: Behaviour,
    req: IncomingMessage,
    res: ServerResponse,
    entry: RecordedRequest,
    state: { serverReset: boolean; signal: AbortSignal },
  ): Promise<void> {
    const { signal } = state;
    switch (behaviour.kind) {
      case 'echo':
      case 'slow':
      case 'text':
        return protocol.answer({
          res,
          body: entry.body,
          signal,
          text: behaviour.kind === 'text' ? behaviour.text : undefined,
          ttftMs: behaviour.ttftMs ?? 0,
          tokenMs: behaviour.tokenMs ?? 0,
        });
      case 'status': {
        const headers: Record<string, string> = behaviour.retryAfter ? { 'retry-after': behaviour.retryAfter } : {};
        sendJson(
          res,
          behaviour.status,
          behaviour.body ?? protocol.errorBody(behaviour.status, `fake ${behaviour.status}`),
          headers,
        );
        return;
      }
      case 'hang':
        return; // the response closes when the client gives up, which marks the entry aborted
      case 'reset':
        // Server-side teardown: not the client's doing, so not recorded as aborted.
        state.serverReset = true;
        req.socket.destroy();
        return;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const time = Date.now();
    const body = parseObject(await readBody(req));
    const path = req.url ?? '/';
    const entry: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body,
      time,
      aborted: false,
    };
    requests.push(entry);
    for (const w of waiters) w.check();

    const ac = new AbortController();
    const state = { serverReset: false, signal: ac.signal };
    inflight.add(ac);
    res.on('close', () => {
      if (!res.writableFinished && !closing && !state.serverReset) entry.aborted = true;
      ac.abort();
      inflight.delete(ac);
    });

    if (!protocol.isCompletion(entry.method, path.split('?')[0])) {
      sendJson(res, 404, protocol.errorBody(404, `no route ${entry.method} ${path}`));
      return;
    }
    const behaviour = queue.shift() ?? fallback;
    try {
      await run(behaviour, req, res, entry, state);
    } catch (err) {
      if (!isAbortError(err)) res.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => res.destroy(err instanceof Error ? err : undefined));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;

  return {
    url: `http://${address}:${port}${protocol.basePath}`,
    port,
    requests,
    script: (...behaviours) => {
      queue.push(...behaviours);
    },
    setDefault: (b) => {
      fallback = b;
    },
    reset: () => {
      requests.length = 0;
      queue = [];
      fallback = opts.default ?? ECHO;
    },
    waitForRequests: (n, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        if (requests.length >= n) return resolve(requests);
        const fail = (why: string): void => {
          clearTimeout(timer);
          waiters.delete(waiter);
          reject(new Error(`fake saw ${requests.length} of ${n} requests: ${why}`));
        };
        const timer = setTimeout(() => fail(`timed out after ${timeoutMs} ms`), timeoutMs);
        const waiter = {
          check: (): void => {
            if (requests.length < n) return;
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve(requests);
          },
          cancel: () => fail('the fake closed'),
        };
        waiters.add(waiter);
      }),
    close: async () => {
      closing = true;
      for (const ac of inflight) ac.abort();
      for (const w of [...waiters]) w.cancel();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
