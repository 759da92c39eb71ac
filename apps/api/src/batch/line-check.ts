import {
  AppError,
  BATCH_ENDPOINT,
  BatchInputLine,
  ChatCompletionRequest,
  chatRequestToJob,
  JobRequest,
} from '@inferq/core';
import type { BatchLineError, JobRequestInput, ModelCatalog } from '@inferq/core';
import type { z } from 'zod';

/** A request of a batch as stored after validation: its custom_id and the job request. */
export interface BatchEntry {
  c: string;
  r: JobRequest;
}

export type LineError = Omit<BatchLineError, 'line'>;
export type LineCheck = { ok: true; entry: BatchEntry } | { ok: false; problem: LineError };

const fail = (code: string, message: string, param: string | null = null): LineCheck => ({
  ok: false,
  problem: { code, message, param },
});

function firstIssue(error: z.ZodError, base: string): LineCheck {
  const issue = error.issues[0];
  const path = [base, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  return fail('invalid_request', `${path || 'line'}: ${issue?.message ?? 'invalid'}`, path || null);
}

/**
 * Checks one line of an input file: JSON, OpenAI's line shape, POST to the
 * batch's endpoint, a chat request inferq serves, a model this deployment
 * has, and then every check POST /v1/jobs makes. The request becomes a `low`
 * priority job carrying `batch_id` and `custom_id` in its metadata.
 */
export function checkLine(text: string, batchId: string, catalog: ModelCatalog): LineCheck {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('invalid_json_line', 'This line is not parseable as valid JSON.');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return fail('invalid_json_line', 'This line is not a JSON object.');
  }
  const line = BatchInputLine.safeParse(json);
  if (!line.success) return firstIssue(line.error, '');
  const { custom_id, method, url, body } = line.data;
  if (method !== 'POST') return fail('invalid_method', `method must be POST, got ${method}`, 'method');
  if (url !== BATCH_ENDPOINT) return fail('invalid_url', `url must be ${BATCH_ENDPOINT}, the batch's endpoint`, 'url');
  const chat = ChatCompletionRequest.safeParse(body);
  if (!chat.success) return firstIssue(chat.error, 'body');
  if (chat.data.stream) return fail('invalid_request', 'body.stream: batch requests cannot stream', 'body.stream');
  if (!catalog.resolve(chat.data.model)) {
    return fail('model_not_found', `The model ${chat.data.model} does not exist on this deployment.`, 'body.model');
  }
  let translated: JobRequest;
  try {
    // The same translation as POST /v1/chat/completions, so a batch line means what a call means.
    translated = chatRequestToJob(chat.data);
  } catch (err) {
    if (err instanceof AppError) return fail('invalid_request', `body: ${err.message}`, 'body');
    throw err;
  }
  const input: JobRequestInput = {
    ...translated,
    priority: 'low',
    metadata: { ...translated.metadata, batch_id: batchId, custom_id },
  };
  const request = JobRequest.safeParse(input);
  if (!request.success) return firstIssue(request.error, 'body');
  return { ok: true, entry: { c: custom_id, r: request.data } };
}

/** One line of a file as read: its 1-based number, and its text unless longer than the cap. */
export interface FileLine {
  lineNo: number;
  text: string | undefined;
}

/**
 * The lines of a file read as chunks, holding at most one line (up to
 * `maxChars`) in memory: a longer line is reported without its text.
 */
export async function* splitLines(chunks: AsyncIterable<string>, maxChars: number): AsyncGenerator<FileLine> {
  let carry = '';
  let overflow = false;
  let lineNo = 0;
  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      const piece = chunk.slice(start, nl);
      lineNo++;
      const long = overflow || carry.length + piece.length > maxChars;
      yield { lineNo, text: long ? undefined : carry + piece };
      carry = '';
      overflow = false;
      start = nl + 1;
    }
    const rest = chunk.slice(start);
    if (overflow) continue;
    if (carry.length + rest.length > maxChars) {
      overflow = true;
      carry = '';
    } else carry += rest;
  }
  if (overflow || carry.length > 0) yield { lineNo: lineNo + 1, text: overflow ? undefined : carry };
}
