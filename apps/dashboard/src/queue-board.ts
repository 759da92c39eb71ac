import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { RequestHandler } from 'express';
import { queuePrefix } from '@inferq/core';
import { closeQueue } from '@inferq/store';
import type { createRedis } from '@inferq/store';

export const BOARD_PATH = '/admin/queues';

export interface QueueBoard {
  router: RequestHandler;
  /** The queues shown now (pool queues and the webhook queue). */
  queues(): Queue[];
  /** Shows exactly these queue names (new pools appear as workers report them). */
  show(names: string[]): void;
  close(): Promise<void>;
}

/** Bull Board over BullMQ queues by name; read-only hides and refuses every action. */
export function createQueueBoard(opts: {
  connection: ReturnType<typeof createRedis>;
  prefix: string;
  readOnly: boolean;
  names: string[];
  links: Array<{ text: string; url: string }>;
}): QueueBoard {
  const open = new Map<string, Queue>();
  const queueFor = (name: string): Queue => {
    let q = open.get(name);
    if (!q) {
      q = new Queue(name, { connection: opts.connection, prefix: queuePrefix(opts.prefix, name) });
      // The shared connection's errors, which /readyz reports (see createRedis); without a listener they would crash the process.
      q.on('error', () => undefined);
      open.set(name, q);
    }
    return q;
  };
  const adapters = (names: string[]) =>
    [...new Set(names)]
      .sort()
      .map((n) => new BullMQAdapter(queueFor(n), { readOnlyMode: opts.readOnly, allowRetries: !opts.readOnly }));

  const server = new ExpressAdapter();
  server.setBasePath(BOARD_PATH);
  const board = createBullBoard({
    queues: adapters(opts.names),
    serverAdapter: server,
    options: {
      uiConfig: {
        boardTitle: opts.readOnly ? 'inferq (read-only)' : 'inferq',
        miscLinks: opts.links,
        hideDocsLink: true,
      },
    },
  });
  let shown = [...new Set(opts.names)].sort().join(',');
  return {
    router: server.getRouter() as RequestHandler,
    queues: () => [...open.values()],
    show(names) {
      const key = [...new Set(names)].sort().join(',');
      if (key === shown) return;
      shown = key;
      board.replaceQueues(adapters(names));
    },
    close: async () => {
      await Promise.all([...open.values()].map((q) => closeQueue(q)));
    },
  };
}
