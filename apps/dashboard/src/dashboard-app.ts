import { randomUUID } from 'node:crypto';
import express from 'express';
import type { ErrorRequestHandler, Express } from 'express';
import { AppError, NotFoundError, toErrorResponse, UnavailableError } from '@inferq/core';
import type { Logger, PoolBacklog, WorkerHeartbeat } from '@inferq/core';
import { QUEUE_STATES } from '@inferq/telemetry';
import type { MetricsEndpoint } from '@inferq/telemetry';
import { adminAuth, readOnlyGuard } from './admin-auth';
import { FLEET_PATH, renderFleetPage } from './fleet.page';
import { BOARD_PATH } from './queue-board';
import type { QueueBoard } from './queue-board';

export interface DashboardAppDeps {
  adminToken: string | undefined;
  readOnly: boolean;
  board: QueueBoard;
  /** Live workers; also refreshes the queues the board shows. */
  workers: () => Promise<WorkerHeartbeat[]>;
  /** The fair-scheduler backlogs of the pools shown (read after workers(), which learns their pools). */
  pools: () => Promise<PoolBacklog[]>;
  ready: () => Promise<boolean>;
  metrics: MetricsEndpoint;
  logger: Logger;
}

/** Bull Board and the fleet page behind the admin token; health and metrics in the open (metrics has its own token). */
export function createDashboardApp(deps: DashboardAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res, next) => {
    if (await deps.ready()) res.json({ status: 'ready' });
    else next(new UnavailableError('Redis does not answer'));
  });
  app.get('/metrics', async (req, res) => {
    const a = await deps.metrics(req.headers.authorization);
    res
      .status(a.status)
      .set({ 'Content-Type': a.type, ...a.headers })
      .send(a.body);
  });
  app.get('/', (_req, res) => res.redirect(BOARD_PATH));
  app.use('/admin', adminAuth(deps.adminToken));
  if (deps.readOnly) app.use('/admin', readOnlyGuard());
  app.get(FLEET_PATH, async (_req, res, next) => {
    try {
      const workers = await deps.workers();
      const queues = deps.board.queues();
      const [pools, counts] = await Promise.all([
        deps.pools(),
        Promise.all(queues.map((q) => q.getJobCounts(...QUEUE_STATES))),
      ]);
      const rows = queues.map((q, i) => ({ name: q.name, counts: counts[i] ?? {} }));
      res.type('html').send(renderFleetPage({ workers, pools, queues: rows }));
    } catch (err) {
      next((await deps.ready()) ? err : new UnavailableError('Redis does not answer'));
    }
  });
  app.use(BOARD_PATH, deps.board.router);
  app.use((req, _res, next) => next(new NotFoundError(`no route ${req.method} ${req.path}`)));
  app.use(errorMiddleware(deps.logger));
  return app;
}

/** Every error answers through errorBody; unknown ones as a 500 with an id in the log. */
function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const errorId = randomUUID();
    const response = toErrorResponse(err, errorId);
    if (!(err instanceof AppError))
      logger.error({ err, errorId, method: req.method, path: req.path }, 'unhandled error');
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(response.status).set(response.headers).json(response.body);
  };
}
