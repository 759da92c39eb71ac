import type { BatchLineError, BatchObject, BatchStatus } from '@inferq/core';

/** Unix seconds of a stored ms field, or null. */
const secs = (v: string | undefined): number | null => (v ? Math.floor(Number(v) / 1000) : null);
const int = (v: string | undefined): number => Number(v ?? 0);

/** The runner's view of a batch hash beyond the public object. */
export interface BatchState {
  object: BatchObject;
  tenant: string;
  createdMs: number;
  expiresMs: number;
  /** Requests whose job was created (or that were answered without one): the feed's position. */
  nextLine: number;
  /** `expired` while the runner cancels what is left after the window ran out. */
  ending: 'expired' | undefined;
  outputFileId: string;
  errorFileId: string;
  leaseOwner: string | undefined;
}

/** The batch object (OpenAI's shape, Unix seconds) and runner state from a batch hash (HGETALL). */
export function decodeBatch(h: Record<string, string>): BatchState {
  const status = h.status as BatchStatus;
  const ended = status === 'completed' || status === 'cancelled' || status === 'expired';
  const errors = h.errors ? (JSON.parse(h.errors) as BatchLineError[]) : null;
  const object: BatchObject = {
    id: h.id ?? '',
    object: 'batch',
    endpoint: h.endpoint ?? '',
    errors: errors ? { object: 'list', data: errors } : null,
    input_file_id: h.input_file_id ?? '',
    completion_window: h.completion_window ?? '',
    status,
    output_file_id: ended && int(h.out_lines) > 0 ? (h.output_file_id ?? null) : null,
    error_file_id: ended && int(h.err_lines) > 0 ? (h.error_file_id ?? null) : null,
    created_at: secs(h.created_at) ?? 0,
    in_progress_at: secs(h.in_progress_at),
    expires_at: secs(h.expires_at) ?? 0,
    finalizing_at: secs(h.finalizing_at),
    completed_at: secs(h.completed_at),
    failed_at: secs(h.failed_at),
    expired_at: secs(h.expired_at),
    cancelling_at: secs(h.cancelling_at),
    cancelled_at: secs(h.cancelled_at),
    request_counts: { total: int(h.total), completed: int(h.completed), failed: int(h.failed) },
    metadata: h.metadata ? (JSON.parse(h.metadata) as Record<string, string>) : null,
  };
  return {
    object,
    tenant: h.tenant ?? '',
    createdMs: int(h.created_at),
    expiresMs: int(h.expires_at),
    nextLine: int(h.next_line),
    ending: h.ending === 'expired' ? 'expired' : undefined,
    outputFileId: h.output_file_id ?? '',
    errorFileId: h.error_file_id ?? '',
    leaseOwner: h.lease_owner,
  };
}

export interface NewBatch {
  id: string;
  tenant: string;
  inputFileId: string;
  endpoint: string;
  completionWindow: string;
  createdMs: number;
  expiresMs: number;
  metadata: Record<string, string> | null;
  outputFileId: string;
  errorFileId: string;
}

export function encodeNewBatch(b: NewBatch): string[] {
  const fields = [
    'id',
    b.id,
    'tenant',
    b.tenant,
    'status',
    'validating',
    'endpoint',
    b.endpoint,
    'input_file_id',
    b.inputFileId,
    'completion_window',
    b.completionWindow,
    'created_at',
    String(b.createdMs),
    'expires_at',
    String(b.expiresMs),
    'output_file_id',
    b.outputFileId,
    'error_file_id',
    b.errorFileId,
  ];
  if (b.metadata) fields.push('metadata', JSON.stringify(b.metadata));
  return fields;
}
