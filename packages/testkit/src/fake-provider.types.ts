import type { IncomingHttpHeaders } from 'node:http';

/** What a fake provider does with one request. Delays are in milliseconds. */
export type Behaviour =
  | { kind: 'echo'; ttftMs?: number; tokenMs?: number }
  | { kind: 'slow'; ttftMs: number; tokenMs: number }
  | { kind: 'text'; text: string; ttftMs?: number; tokenMs?: number }
  | { kind: 'status'; status: number; retryAfter?: string; body?: object }
  | { kind: 'hang' }
  | { kind: 'reset' };

/** One request as the fake received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; an empty object when the body was not a JSON object. */
  body: Record<string, unknown>;
  /** Date.now() when the request arrived. */
  time: number;
  /** True when the client closed the connection before the answer finished. */
  aborted: boolean;
}

export interface FakeProvider {
  /** Base URL to hand the SDK (OpenAI: ends in /v1; Anthropic: the SDK adds /v1/messages). */
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Queues behaviours for the next requests, first in first out. */
  script(...behaviours: Behaviour[]): void;
  /** What requests get once the script is used up. */
  setDefault(behaviour: Behaviour): void;
  /** Forgets the log and the script and restores the echo default. */
  reset(): void;
  /** Resolves with the log once it holds at least n requests. */
  waitForRequests(n: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

export interface FakeProviderOptions {
  host?: string;
  port?: number;
  default?: Behaviour;
}
