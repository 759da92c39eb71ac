import {
  BATCH_LIMITS,
  FILE_ID_PATTERN,
  newFileId,
  NotFoundError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '@inferq/core';
import type { FileIdParams, FileObject, ListFilesQuery } from '@inferq/core';
import type { ApiDeps } from '../deps';
import type { HandlerContext, HandlerResult, NoInput, RouteResult } from '../route';
import { receiveUpload } from './multipart-upload';

/** The caller's own file, or 404 exactly as for a missing one (another tenant's, a malformed id). */
async function ownFile(deps: ApiDeps, tenant: string, id: string): Promise<FileObject> {
  const file = FILE_ID_PATTERN.test(id) ? await deps.batch.files.get(tenant, id) : undefined;
  if (!file) throw new NotFoundError(`no file ${id}`);
  const { lines: _lines, ...object } = file;
  return object;
}

/** Names shown back to the caller: no path, no control characters, bounded. */
function cleanFilename(name: string | undefined): string {
  const last = (name ?? '').split(/[\\/]/).pop() ?? '';
  const base = [...last].filter((ch) => ch.charCodeAt(0) > 0x1f && ch.charCodeAt(0) !== 0x7f).join('');
  return base.slice(0, 255) || 'upload.jsonl';
}

/** POST /v1/files: multipart `purpose=batch` and `file`, streamed into Redis chunk by chunk. */
export function uploadFileHandler(deps: ApiDeps) {
  return async (ctx: HandlerContext): Promise<HandlerResult> => {
    const type = ctx.headers['content-type'];
    if (typeof type !== 'string' || !/^multipart\/form-data\b/i.test(type) || !ctx.stream) {
      throw new UnsupportedMediaTypeError('POST /v1/files takes multipart/form-data with the fields purpose and file');
    }
    const id = newFileId();
    const files = deps.batch.files;
    try {
      const limits = { maxBytes: deps.config.MAX_BATCH_FILE_BYTES, maxLines: BATCH_LIMITS.maxLines };
      const up = await receiveUpload(ctx.stream, ctx.headers, limits, (chunk) =>
        files.appendChunk(ctx.tenant, id, chunk),
      );
      if (up.purpose !== 'batch') {
        throw new ValidationError('purpose must be "batch"', [{ path: 'purpose', message: 'must be "batch"' }]);
      }
      if (up.lines === 0) throw new ValidationError('the file is empty', [{ path: 'file', message: 'has no lines' }]);
      const file = {
        id,
        filename: cleanFilename(up.filename),
        purpose: 'batch' as const,
        bytes: up.bytes,
        lines: up.lines,
      };
      return { status: 200, body: await files.commit(ctx.tenant, file) };
    } catch (err) {
      await files.discard(ctx.tenant, id).catch(() => undefined);
      throw err;
    }
  };
}

/** GET /v1/files: newest first, OpenAI's list shape. */
export function listFilesHandler(deps: ApiDeps) {
  return async (ctx: HandlerContext<NoInput, ListFilesQuery>): Promise<HandlerResult> => {
    const page = await deps.batch.files.list(ctx.tenant, ctx.query);
    return { status: 200, body: listBody(page.data, page.hasMore) };
  };
}

export function getFileHandler(deps: ApiDeps) {
  return async (ctx: HandlerContext<FileIdParams>): Promise<HandlerResult> => ({
    status: 200,
    body: await ownFile(deps, ctx.tenant, ctx.params.id),
  });
}

export function deleteFileHandler(deps: ApiDeps) {
  return async (ctx: HandlerContext<FileIdParams>): Promise<HandlerResult> => {
    const file = await ownFile(deps, ctx.tenant, ctx.params.id);
    if (!(await deps.batch.files.delete(ctx.tenant, file.id))) throw new NotFoundError(`no file ${file.id}`);
    return { status: 200, body: { id: file.id, object: 'file', deleted: true } };
  };
}

/** GET /v1/files/{id}/content: the bytes as uploaded (or the output lines), streamed with the client's backpressure. */
export function fileContentHandler(deps: ApiDeps) {
  return async (ctx: HandlerContext<FileIdParams>): Promise<RouteResult> => {
    const file = await ownFile(deps, ctx.tenant, ctx.params.id);
    // Uploads are stored in large chunks, output files one line per chunk.
    const pageSize = file.purpose === 'batch' ? 8 : 1000;
    return {
      status: 200,
      headers: {
        'Content-Type': 'application/octet-stream',
        'Content-Disposition': `attachment; filename="${file.filename.replace(/["\\]/g, '_')}"`,
      },
      async stream(out) {
        for await (const chunk of deps.batch.files.chunks(ctx.tenant, file.id, pageSize)) {
          if (out.signal.aborted) return;
          if (!out.write(chunk)) await out.drained();
        }
      },
    };
  };
}

export function listBody<T extends { id: string }>(data: T[], hasMore: boolean) {
  return {
    object: 'list' as const,
    data,
    first_id: data[0]?.id ?? null,
    last_id: data[data.length - 1]?.id ?? null,
    has_more: hasMore,
  };
}
