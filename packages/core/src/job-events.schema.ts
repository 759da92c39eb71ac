import { z } from 'zod';
import type { JobRecord } from './job-record.schema';
import { JobStatus } from './job-record.schema';

/** The `data:` of each SSE event of GET /v1/jobs/{id}/events, by event name. */
export const StatusEventData = z.object({ status: JobStatus });
export type StatusEventData = z.infer<typeof StatusEventData>;
export const TokenEventData = z.object({ text: z.string() });
export type TokenEventData = z.infer<typeof TokenEventData>;

/** The event names; `done` carries the whole job record, after which the server closes the stream. */
export const JobEventName = z.enum(['status', 'token', 'done']);
export type JobEventName = z.infer<typeof JobEventName>;

/** An event of the stream, by its SSE event name; `id` is the SSE id to resume after (Last-Event-ID). */
export type JobEvent =
  | { type: 'status'; id: string; data: StatusEventData }
  | { type: 'token'; id: string; data: TokenEventData }
  | { type: 'done'; id: string; data: JobRecord };
