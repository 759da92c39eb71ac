import { z } from 'zod';
import { JOB_ID_PATTERN, JobStatus } from '@inferq/core';

/**
 * Path and query schemas of the api's own routes (bodies come from
 * @inferq/core). Query values arrive as strings, hence the coercions.
 */
export const JobIdParams = z.object({ id: z.string().max(128) });
export type JobIdParams = z.output<typeof JobIdParams>;

export const GetJobQuery = z.object({
  /** Long-poll: seconds to wait for a terminal status, 0 < wait <= 60. */
  wait: z.coerce.number().gt(0).max(60).optional(),
});
export type GetJobQuery = z.output<typeof GetJobQuery>;

export const ListJobsQuery = z.object({
  status: JobStatus.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().regex(JOB_ID_PATTERN, 'must be the next_cursor of a previous page').optional(),
});
export type ListJobsQuery = z.output<typeof ListJobsQuery>;
