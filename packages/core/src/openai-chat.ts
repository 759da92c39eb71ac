import { ModelNotFoundError, ValidationError } from './errors';
import { assertNever } from './failure-codes';
import { JobRequest, ModelId } from './job-request.schema';
import type { Message, Priority, Role } from './job-request.schema';
import type { FinishReason, JobRecord, Usage } from './job-record.schema';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatFinishReason,
  ChatMessage,
  ChatUsage,
} from './openai-chat.schema';

/**
 * The OpenAI Chat Completions API as a translation at the edge (SPEC section
 * 10): a chat request becomes a JobRequest, a job record a `chat.completion`,
 * a streamed token a `chat.completion.chunk`. Pure functions, shared by the
 * api's /v1/chat/completions and the Batch API's output lines.
 */

export function priorityOfServiceTier(tier: ChatCompletionRequest['service_tier']): Priority {
  const t = tier ?? 'auto';
  switch (t) {
    case 'priority':
      return 'high';
    case 'flex':
      return 'low';
    case 'auto':
    case 'default':
    case 'scale':
      return 'normal';
    default:
      return assertNever(t);
  }
}

function roleOf(role: ChatMessage['role'], i: number): Role {
  if (role === 'developer') return 'system';
  if (role === 'tool' || role === 'function') {
    throw new ValidationError(`${role} messages are not supported`, [
      { path: `messages.${i}.role`, message: 'not supported' },
    ]);
  }
  return role;
}

function textOf(content: ChatMessage['content']): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  return content.map((p) => p.text ?? '').join('');
}

/** A job field's path as the chat body names it: `input.messages.0.content` -> `messages.0.content`. */
function chatPath(path: readonly PropertyKey[]): string {
  const rest = path[0] === 'input' || path[0] === 'params' ? path.slice(1) : path;
  return rest.map(String).join('.') || 'body';
}

/**
 * The job a chat request asks for. A model id that cannot name any model is
 * 404 model_not_found (as OpenAI answers); whether one that can is served is
 * the caller's check (the model catalog). Throws ValidationError naming the
 * chat field when the job would be invalid (e.g. `user` as a 17th metadata key).
 */
export function chatRequestToJob(req: ChatCompletionRequest): JobRequest {
  if (!ModelId.safeParse(req.model).success) throw new ModelNotFoundError(req.model);
  const messages: Message[] = req.messages.map((m, i) => ({ role: roleOf(m.role, i), content: textOf(m.content) }));
  const params = defined({
    temperature: req.temperature,
    top_p: req.top_p,
    max_tokens: req.max_completion_tokens ?? req.max_tokens,
    stop: req.stop,
    seed: req.seed,
  });
  const metadata = req.user != null ? { ...req.metadata, user: req.user } : (req.metadata ?? undefined);
  const parsed = JobRequest.safeParse({
    model: req.model,
    input: { messages },
    ...(Object.keys(params).length ? { params } : {}),
    priority: priorityOfServiceTier(req.service_tier),
    ...(metadata ? { metadata } : {}),
  });
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => ({ path: chatPath(i.path), message: i.message }));
  throw new ValidationError(`invalid request: ${details[0]?.path}: ${details[0]?.message}`, details);
}

/** The fields that are set, without null or undefined ones. */
function defined<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: NonNullable<T[K]> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v != null)) as { [K in keyof T]?: NonNullable<T[K]> };
}

/** `chatcmpl-` + the job's ULID: the completion and its job name each other. */
export function chatCompletionId(jobId: string): string {
  return `chatcmpl-${jobId.startsWith('job_') ? jobId.slice(4) : jobId}`;
}

/** Unix seconds of an ISO time (OpenAI's `created`). */
export function unixSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

export function chatFinishReason(reason: FinishReason | undefined): ChatFinishReason {
  switch (reason) {
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content_filter';
    case 'tool_calls':
      return 'tool_calls';
    case 'stop':
    case 'canceled':
    case 'other':
    case undefined:
      return 'stop';
    default:
      return assertNever(reason);
  }
}

export function chatUsage(usage: Usage | null): ChatUsage {
  const prompt = usage?.input_tokens ?? 0;
  const completion = usage?.output_tokens ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/**
 * The `chat.completion` of a succeeded job record; `created` defaults to the
 * job's creation (Unix seconds). A record without output (not succeeded, or
 * its payload expired) gives `content: null`.
 */
export function chatCompletionFromRecord(record: JobRecord, created = unixSeconds(record.created_at)): ChatCompletion {
  return {
    id: chatCompletionId(record.id),
    object: 'chat.completion',
    created,
    model: record.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: record.output?.text ?? null, refusal: null },
        logprobs: null,
        finish_reason: chatFinishReason(record.output?.finish_reason),
      },
    ],
    usage: chatUsage(record.usage),
  };
}

/** What every chunk of one stream shares. */
export interface ChunkBase {
  id: string;
  created: number;
  model: string;
  /** `stream_options.include_usage`: every chunk then carries `usage: null`, and a usage chunk ends the stream. */
  includeUsage: boolean;
}

type Delta = ChatCompletionChunk['choices'][number]['delta'];

function chunk(base: ChunkBase, delta: Delta, finish: ChatFinishReason | null): ChatCompletionChunk {
  return {
    id: base.id,
    object: 'chat.completion.chunk',
    created: base.created,
    model: base.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(base.includeUsage ? { usage: null } : {}),
  };
}

/** The first chunk: the role, no text yet. */
export const roleChunk = (base: ChunkBase): ChatCompletionChunk =>
  chunk(base, { role: 'assistant', content: '' }, null);

/** One streamed token (or several batched together). */
export const tokenChunk = (base: ChunkBase, text: string): ChatCompletionChunk => chunk(base, { content: text }, null);

/** The last chunk with a choice: why the text ended. */
export const finishChunk = (base: ChunkBase, reason: FinishReason | undefined): ChatCompletionChunk =>
  chunk(base, {}, chatFinishReason(reason));

/** With include_usage, after the finish chunk: no choices, the usage. */
export function usageChunk(base: ChunkBase, usage: Usage | null): ChatCompletionChunk {
  return {
    id: base.id,
    object: 'chat.completion.chunk',
    created: base.created,
    model: base.model,
    choices: [],
    usage: chatUsage(usage),
  };
}
