import { z } from 'zod';
import { FilePurpose } from '@inferq/core';

/** Path and query schemas of the Batch API routes (bodies come from @inferq/core). */
export const FileIdParams = z.object({ id: z.string().max(128) });
export type FileIdParams = z.output<typeof FileIdParams>;

export const BatchIdParams = z.object({ id: z.string().max(128) });
export type BatchIdParams = z.output<typeof BatchIdParams>;

const Limit = z.coerce.number().int().min(1).max(100).default(20);
const After = z.string().max(128).optional();

export const ListFilesQuery = z.object({ limit: Limit.default(100), after: After, purpose: FilePurpose.optional() });
export type ListFilesQuery = z.output<typeof ListFilesQuery>;

export const ListBatchesQuery = z.object({ limit: Limit, after: After });
export type ListBatchesQuery = z.output<typeof ListBatchesQuery>;
