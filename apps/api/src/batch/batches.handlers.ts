import {
  BATCH_ID_PATTERN,
  completionWindowMs,
  ConflictError,
  FILE_ID_PATTERN,
  newBatchId,
  newFileId,
  NotFoundError,
  ValidationError,
} from '@inferq/core';
import type { BatchIdParams, BatchObject, CreateBatchBody, ListBatchesQuery } from '@inferq/core';
import type { ApiDeps } from '../deps';
import type { HandlerContext, HandlerResult, NoInput } from '../route';
import { listBody } from './files.handlers';

async function ownBatch(deps: ApiDeps, tenant: string, id: string): Promise<BatchObject> {
  const batch = BATCH_ID_PATTERN.test(id) ? await deps.batch.batches.get(tenant, id) : undefined;
  if (!batch) throw new NotFoundError(`no batch ${id}`);
  return batch.object;
}

/**
 * POST /v1/batches: the batch starts `validating`; a runner (this api process
 * or another) validates its file and feeds its requests to the pools.
 */
export function createBatchHandler(deps: ApiDeps) {
  return async (ctx: HandlerContext<NoInput, NoInput, CreateBatchBody>): Promise<HandlerResult> => {
    const { input_file_id: fileId } = ctx.body;
    const file = FILE_ID_PATTERN.test(fileId) ? await deps.batch.files.get(ctx.tenant, fileId) : undefined;
    if (!file) throw new NotFoundError(`no file ${fileId}`);
    if (file.purpose !== 'batch') {
      throw new ValidationError(`file ${fileId} is not a batch input file`, [
        { path: 'input_file_id', message: 'must be a file uploaded with purpose "batch"' },
      ]);
    }
    const now = Date.now();
    const batch = await deps.batch.batches.create({
      id: newBatchId(),
      tenant: ctx.tenant,
      inputFileId: fileId,
      endpoint: ctx.body.endpoint,
      completionWindow: ctx.body.completion_window,
      createdMs: now,
      expiresMs: now + completionWindowMs(ctx.body.completion_window),
      metadata: ctx.body.metadata ?? null,
      outputFileId: newFileId(),
      errorFileId: newFileId(),
    });
    deps.batch.wake();
    return { status: 200, body: batch };
  };
}

export function getBatchHandler(deps: ApiDeps) {
  return async (ctx: HandlerContext<BatchIdParams>): Promise<HandlerResult> => ({
    status: 200,
    body: await ownBatch(deps, ctx.tenant, ctx.params.id),
  });
}

export function listBatchesHandler(deps: ApiDeps) {
  return async (ctx: HandlerContext<NoInput, ListBatchesQuery>): Promise<HandlerResult> => {
    const page = await deps.batch.batches.list(ctx.tenant, ctx.query);
    return { status: 200, body: listBody(page.data, page.hasMore) };
  };
}

/** POST /v1/batches/{id}/cancel: `cancelling` at once; the runner cancels its jobs, then `cancelled`. */
export function cancelBatchHandler(deps: ApiDeps) {
  return async (ctx: HandlerContext<BatchIdParams>): Promise<HandlerResult> => {
    const { id } = await ownBatch(deps, ctx.tenant, ctx.params.id);
    const r = await deps.batch.batches.cancel(ctx.tenant, id);
    if (r.kind === 'missing') throw new NotFoundError(`no batch ${id}`);
    if (r.kind === 'too_late') throw new ConflictError(`batch ${id} is already ${r.status}`);
    deps.batch.wake();
    return { status: 200, body: await ownBatch(deps, ctx.tenant, id) };
  };
}
