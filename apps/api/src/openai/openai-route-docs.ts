import { ChatCompletion } from '@inferq/core';
import type { ChatCompletionRequestInput } from '@inferq/core';
import type { RouteDoc } from '../openapi/route-doc';

/** Runs as is on `npm start` (the sim backend answers with the last user message). */
const tryIt: ChatCompletionRequestInput = {
  model: 'sim/echo',
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Hello from the OpenAI SDK' },
  ],
  max_completion_tokens: 64,
};

const streamed: ChatCompletionRequestInput = {
  ...tryIt,
  stream: true,
  stream_options: { include_usage: true },
  service_tier: 'priority',
};

const ID = 'chatcmpl-01JABCDEFGHJKMNPQRSTVWXYZ0';
const chunk = (delta: object, finish: string | null) =>
  `data: ${JSON.stringify({ id: ID, object: 'chat.completion.chunk', created: 1735732800, model: 'sim/echo', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;

/** The streamed form, for the document's text/event-stream example. */
function chatStreamExample(): string {
  const text = ['Hello ', 'from ', 'the ', 'OpenAI ', 'SDK'].map((t) => chunk({ content: t }, null)).join('');
  return `${chunk({ role: 'assistant', content: '' }, null)}${text}${chunk({}, 'stop')}data: [DONE]\n\n`;
}

export const CHAT_COMPLETIONS_DOC: RouteDoc = {
  summary: 'Chat completion, OpenAI-compatible (a job underneath)',
  description:
    "OpenAI's Chat Completions API over the queue: point an OpenAI SDK at `http://<inferq>/v1` with an inferq " +
    'key. Every call is a job (same pools, limits, fair share and record, `GET /v1/jobs/{id}` works on it), named ' +
    'by the `x-inferq-job-id` header. `service_tier`: `priority` -> high, `flex` -> low, else normal. Without ' +
    '`stream` the answer waits up to SYNC_WAIT_S for the job, then 504 `timeout` (the job goes on). With ' +
    '`stream: true`: `chat.completion.chunk` lines, a usage chunk with `stream_options.include_usage`, then ' +
    '`data: [DONE]`. A client that disconnects cancels its job. `n` other than 1, tools, images and audio are ' +
    "400 with `param` naming the field; unknown fields are ignored. Errors take OpenAI's shape.",
  requestExamples: { try_it: tryIt, streamed },
  requestHeaders: { 'Idempotency-Key': 'As on POST /v1/jobs: a repeat within 24 h answers from the same job.' },
  responses: {
    200: {
      description: 'A `chat.completion`; with `stream: true`, `text/event-stream` of `chat.completion.chunk`.',
      schema: ChatCompletion,
      headers: { 'x-inferq-job-id': 'The job behind the completion.' },
      alternatives: { 'text/event-stream': { example: chatStreamExample() } },
      example: {
        id: ID,
        object: 'chat.completion',
        created: 1735732800,
        model: 'sim/echo',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'Hello from the OpenAI SDK', refusal: null },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 },
      },
    },
  },
  errors: [
    'model_not_found',
    'timeout',
    'job_failed',
    'conflict',
    'idempotency_mismatch',
    'queue_full',
    'budget_exceeded',
  ],
};
