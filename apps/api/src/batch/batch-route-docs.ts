import { BatchList, BatchObject, FileDeleted, FileList, FileObject } from '@inferq/core';
import type { RouteDoc } from '../openapi/route-doc';

const batchExample = {
  id: 'batch_01J9Z6T5V8Q2R3S4T5V6W7X8Y9',
  object: 'batch',
  endpoint: '/v1/chat/completions',
  errors: null,
  input_file_id: 'file-01J9Z6T3K8Q2R3S4T5V6W7X8Y9',
  completion_window: '24h',
  status: 'completed',
  output_file_id: 'file-01J9Z6T5V9Q2R3S4T5V6W7X8YA',
  error_file_id: null,
  created_at: 1767225600,
  in_progress_at: 1767225601,
  expires_at: 1767312000,
  finalizing_at: 1767225660,
  completed_at: 1767225660,
  failed_at: null,
  expired_at: null,
  cancelling_at: null,
  cancelled_at: null,
  request_counts: { total: 2, completed: 2, failed: 0 },
  metadata: { nightly: 'evals' },
};

const BATCH = ['batches'];
const FILES = ['files'];

/** OpenAPI docs of the Batch API (SPEC section 11). */
export const BATCH_ROUTE_DOCS = {
  uploadFile: {
    summary: 'Upload a batch input file (JSONL, multipart)',
    description:
      'Multipart form with `purpose=batch` and `file`: one request per line, ' +
      '`{"custom_id", "method": "POST", "url": "/v1/chat/completions", "body": {...}}`. Up to ' +
      '`MAX_BATCH_FILE_BYTES` (413 past it) and 50,000 lines; streamed into Redis as it arrives. ' +
      'Files expire after `JOB_RETENTION`.',
    tags: FILES,
    rawRequestBody: {
      contentType: 'multipart/form-data',
      schema: {
        type: 'object',
        required: ['purpose', 'file'],
        properties: { purpose: { type: 'string', enum: ['batch'] }, file: { type: 'string', format: 'binary' } },
      },
    },
    responses: { 200: { description: 'The file object.', schema: FileObject } },
    errors: ['validation_error', 'payload_too_large', 'unsupported_media_type'],
  },
  listFiles: {
    summary: 'List your files, newest first',
    tags: FILES,
    responses: { 200: { description: 'One page of files.', schema: FileList } },
  },
  getFile: {
    summary: 'Read a file object',
    tags: FILES,
    responses: { 200: { description: 'The file.', schema: FileObject } },
  },
  fileContent: {
    summary: "A file's content",
    description: 'The input file as uploaded, or the output / error lines of a batch.',
    tags: FILES,
    responses: { 200: { description: 'JSON lines.', contentType: 'application/octet-stream' } },
  },
  deleteFile: {
    summary: 'Delete a file',
    tags: FILES,
    responses: { 200: { description: 'Deleted.', schema: FileDeleted } },
  },
  createBatch: {
    summary: 'Create a batch from an uploaded file',
    description:
      'OpenAI Batch compatible. The file is validated first: a malformed line, a duplicate `custom_id`, ' +
      'an unknown model or another URL fail the batch (`errors.data` names the lines) and nothing runs. ' +
      "Then every request becomes a `low` priority job in its model's pool (metadata `batch_id`, " +
      '`custom_id`), fed progressively; batch jobs count against neither the queue cap nor the rate ' +
      'limit, the daily token budget applies to each. `completion_window` is `24h` or, an inferq ' +
      'extension, any shorter window such as `1h` or `60s`: when it runs out, what has not finished is ' +
      'canceled and the batch ends `expired`.',
    tags: BATCH,
    requestExamples: {
      batch: {
        input_file_id: 'file-01J9Z6T3K8Q2R3S4T5V6W7X8Y9',
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      },
    },
    responses: {
      200: {
        description: 'The batch, validating.',
        schema: BatchObject,
        example: { ...batchExample, status: 'validating' },
      },
    },
  },
  getBatch: {
    summary: 'Read a batch',
    tags: BATCH,
    responses: { 200: { description: 'The batch.', schema: BatchObject, example: batchExample } },
  },
  listBatches: {
    summary: 'List your batches, newest first',
    tags: BATCH,
    responses: {
      200: { description: 'One page of batches (`after`: the last id of the previous page).', schema: BatchList },
    },
  },
  cancelBatch: {
    summary: 'Cancel a batch',
    description:
      'Turns the batch `cancelling`: its queued requests are canceled, running ones aborted, then it ends ' +
      '`cancelled` with what finished in its output file. 409 once it has ended.',
    tags: BATCH,
    responses: { 200: { description: 'The batch, cancelling.', schema: BatchObject } },
    errors: ['conflict'],
  },
} satisfies Record<string, RouteDoc>;
