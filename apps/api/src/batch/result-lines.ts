import { batchRequestId, chatCompletionFromRecord } from '@inferq/core';
import type { BatchOutputLine, JobRecord } from '@inferq/core';
import type { BatchResult } from '@inferq/store';

/** Why a request of a batch did not run (error file code, not counted as failed). */
export type NotRunCode = 'batch_cancelled' | 'batch_expired';

const NOT_RUN_MESSAGE: Record<NotRunCode, string> = {
  batch_cancelled: 'This request was not completed because the batch was cancelled.',
  batch_expired: 'This request could not be executed before the completion window expired.',
};

const text = (line: BatchOutputLine): string => `${JSON.stringify(line)}\n`;

/**
 * The output or error file line of a finished job, in OpenAI's format. A job
 * canceled while its batch ends (`ending`) did not run; one canceled by its
 * owner otherwise is a failure like any other.
 */
export function resultOfJob(
  index: number,
  customId: string,
  record: JobRecord,
  ending: NotRunCode | undefined,
): BatchResult {
  const id = batchRequestId(record.id);
  switch (record.status) {
    case 'succeeded':
      return {
        index,
        kind: 'c',
        line: text({
          id,
          custom_id: customId,
          response: { status_code: 200, request_id: record.id, body: chatCompletionFromRecord(record) },
          error: null,
        }),
      };
    case 'failed':
      return failedResult(index, customId, id, record.error?.code ?? 'internal', record.error?.message ?? 'failed');
    default:
      if (ending) return notRun(index, customId, ending, id);
      return failedResult(index, customId, id, 'canceled', 'The job of this request was canceled.');
  }
}

export function failedResult(index: number, customId: string, id: string, code: string, message: string): BatchResult {
  const error = { code, message };
  return { index, kind: 'f', line: text({ id, custom_id: customId, response: null, error }) };
}

export function notRun(index: number, customId: string, code: NotRunCode, id: string): BatchResult {
  const error = { code, message: NOT_RUN_MESSAGE[code] };
  return { index, kind: 'x', line: text({ id, custom_id: customId, response: null, error }) };
}
