import { randomUUID } from 'node:crypto';
import { ConflictError, finishChunk, roleChunk, tokenChunk, toOpenAIErrorResponse, usageChunk } from '@inferq/core';
import type { AppError, ChunkBase, JobRecord } from '@inferq/core';
import type { JobEvent } from '@inferq/store';
import type { EventFramer } from '../job-event-relay';
import { outcomeError } from './job-outcome';

const dataLine = (payload: unknown): string => `data: ${JSON.stringify(payload)}\n\n`;
/** OpenAI's way to fail a stream already under way; its SDKs raise it as an APIError. */
const errorLine = (err: AppError): string => dataLine(toOpenAIErrorResponse(err, randomUUID()).body);

function field(data: string, name: 'status' | 'text'): string | undefined {
  try {
    const value: unknown = (JSON.parse(data) as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A job's events as `chat.completion.chunk` lines: each `token` event one
 * chunk as soon as it arrives, and from the terminal record the finish chunk,
 * the usage chunk (include_usage) and `[DONE]`, or an error line. A job
 * retried after its text started is held back until the new attempt's text
 * passes what the client already has; the client never gets text twice, and
 * text that turned out different ends the stream with an error.
 */
export class ChatChunkFramer implements EventFramer {
  /** Set once the terminal record was framed: the stream ended as it should. */
  finished = false;
  /** The text the client has. */
  private sent = '';
  /** After a retry: the new attempt's text so far, until it passes `sent`. */
  private replay: string | undefined;

  constructor(
    private readonly base: ChunkBase,
    private readonly jobId: string,
  ) {}

  /** The first chunk (the role), written before any event. */
  start(): string {
    return dataLine(roleChunk(this.base));
  }

  event(ev: JobEvent): string {
    if (ev.type === 'status') {
      // Back to queued once text is out: the attempt failed and another will start over.
      if (field(ev.data, 'status') === 'queued' && this.sent !== '') this.replay = '';
      return '';
    }
    const text = ev.type === 'token' ? field(ev.data, 'text') : undefined;
    return text ? this.text(text) : '';
  }

  private text(text: string): string {
    if (this.replay === undefined) {
      this.sent += text;
      return dataLine(tokenChunk(this.base, text));
    }
    this.replay += text;
    // Still within what the client has (or already different: done() tells): nothing new to send.
    if (this.replay.length <= this.sent.length || !this.replay.startsWith(this.sent)) return '';
    const fresh = this.replay.slice(this.sent.length);
    this.replay = undefined;
    this.sent += fresh;
    return dataLine(tokenChunk(this.base, fresh));
  }

  done(record: JobRecord | null): string {
    this.finished = true;
    if (record?.status !== 'succeeded') return errorLine(outcomeError(this.jobId, record));
    const full = record.output?.text ?? '';
    if (!full.startsWith(this.sent)) {
      const msg = `job ${this.jobId} was retried after its text began streaming and its final text differs; read it at GET /v1/jobs/${this.jobId}`;
      return errorLine(new ConflictError(msg));
    }
    // Text the events did not carry (a cached answer, a retry's tail) comes in one chunk.
    const rest = full.slice(this.sent.length);
    let out = rest ? dataLine(tokenChunk(this.base, rest)) : '';
    out += dataLine(finishChunk(this.base, record.output?.finish_reason));
    if (this.base.includeUsage) out += dataLine(usageChunk(this.base, record.usage));
    return `${out}data: [DONE]\n\n`;
  }
}
