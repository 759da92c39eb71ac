import type { RedisClient as Redis } from './redis';
import { fileIdLowerBound, redisKeys } from '@inferq/core';
import type { FileObject, FilePurpose, RedisKeys } from '@inferq/core';
import { luaScript } from './lua-files';
import { pageIndex } from './id-index';
import type { IndexPage } from './id-index';
import { withLuaCommands } from './lua-commands';

// The scripts' text, read once from packages/store/lua (see lua-files.ts).
const FILE_COMMIT_LUA = luaScript('file-commit');

type Scripted = Redis & {
  iqFileCommit(meta: string, chunks: string, index: string, ...argv: string[]): Promise<number>;
};

/** How long the chunks of an upload that never completes (api killed mid-upload) stay (ms). */
const UPLOAD_TTL_MS = 3_600_000;
/** Chunks read per round trip when streaming a file out. */
const READ_PAGE = 16;

export interface NewFile {
  id: string;
  filename: string;
  purpose: FilePurpose;
  bytes: number;
  lines: number;
}

/**
 * Files of the Batch API (SPEC section 11) in Redis: a hash of metadata and a
 * list of content chunks, both expiring after the retention. An upload writes
 * its chunks first (under a short expiry) and makes the file appear only on
 * commit, so a half-received upload is never listed.
 */
export class FileStore {
  readonly keys: RedisKeys;
  private readonly redis: Scripted;

  constructor(
    redis: Redis,
    prefix: string,
    /** How long a file is kept (ms). */
    private readonly retentionMs: number,
  ) {
    this.keys = redisKeys(prefix);
    this.redis = withLuaCommands<Scripted>(redis, { iqFileCommit: { numberOfKeys: 3, lua: FILE_COMMIT_LUA } });
  }

  /** Appends one chunk of an upload in progress. */
  async appendChunk(tenant: string, id: string, chunk: string): Promise<void> {
    const key = this.keys.fileChunks(tenant, id);
    await this.redis.multi().rpush(key, chunk).pexpire(key, UPLOAD_TTL_MS).exec();
  }

  async commit(tenant: string, file: NewFile, now = Date.now()): Promise<FileObject> {
    await this.redis.iqFileCommit(
      this.keys.fileMeta(tenant, file.id),
      this.keys.fileChunks(tenant, file.id),
      this.keys.tenantFiles(tenant),
      file.id,
      String(file.bytes),
      String(file.lines),
      String(now),
      file.filename,
      file.purpose,
      String(this.retentionMs),
      fileIdLowerBound(now - this.retentionMs),
    );
    return this.toObject({
      id: file.id,
      bytes: String(file.bytes),
      created_at: String(now),
      filename: file.filename,
      purpose: file.purpose,
    });
  }

  /** Drops what an upload wrote (it failed). */
  async discard(tenant: string, id: string): Promise<void> {
    await this.redis.unlink(this.keys.fileChunks(tenant, id));
  }

  async get(tenant: string, id: string): Promise<(FileObject & { lines: number }) | undefined> {
    const h = await this.redis.hgetall(this.keys.fileMeta(tenant, id));
    return h.id ? { ...this.toObject(h), lines: Number(h.lines ?? 0) } : undefined;
  }

  async list(
    tenant: string,
    q: { limit: number; after?: string; purpose?: FilePurpose },
  ): Promise<IndexPage<FileObject>> {
    return pageIndex(
      this.redis,
      this.keys.tenantFiles(tenant),
      q,
      async (ids) => {
        const pipe = this.redis.pipeline();
        for (const id of ids) pipe.hgetall(this.keys.fileMeta(tenant, id));
        const rows = (await pipe.exec()) ?? [];
        return rows.map(([, h]) => {
          const m = h as Record<string, string> | undefined;
          return m?.id ? this.toObject(m) : undefined;
        });
      },
      (f) => q.purpose === undefined || f.purpose === q.purpose,
    );
  }

  /** True when the file existed. */
  async delete(tenant: string, id: string): Promise<boolean> {
    const [[, n]] = ((await this.redis
      .multi()
      .del(this.keys.fileMeta(tenant, id))
      .unlink(this.keys.fileChunks(tenant, id))
      .zrem(this.keys.tenantFiles(tenant), id)
      .exec()) ?? [[null, 0]]) as Array<[Error | null, number]>;
    return n === 1;
  }

  /**
   * The file's content, chunk by chunk, `pageSize` chunks per round trip
   * (uploads have large chunks, output files one line per chunk).
   */
  async *chunks(tenant: string, id: string, pageSize = READ_PAGE): AsyncGenerator<string> {
    const key = this.keys.fileChunks(tenant, id);
    for (let start = 0; ; start += pageSize) {
      const page = await this.redis.lrange(key, start, start + pageSize - 1);
      yield* page;
      if (page.length < pageSize) return;
    }
  }

  private toObject(h: Record<string, string>): FileObject {
    const created = Number(h.created_at);
    return {
      id: h.id ?? '',
      object: 'file',
      bytes: Number(h.bytes ?? 0),
      created_at: Math.floor(created / 1000),
      expires_at: Math.floor((created + this.retentionMs) / 1000),
      filename: h.filename ?? '',
      purpose: h.purpose === 'batch_output' ? 'batch_output' : 'batch',
      status: 'processed',
    };
  }
}
