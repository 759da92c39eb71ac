import type { ServerResponse } from 'node:http';

/** A request the fake has decided to answer with text (echo or fixed). */
export interface AnswerContext {
  res: ServerResponse;
  body: Record<string, unknown>;
  /** Fires when the client goes away or the fake closes: stop writing. */
  signal: AbortSignal;
  /** Fixed text to answer with; undefined means echo the last user message. */
  text: string | undefined;
  ttftMs: number;
  tokenMs: number;
}

/** What differs between the OpenAI and Anthropic fakes: routes and wire shapes. */
export interface ProviderProtocol {
  /** Path the SDK's base URL ends in ('' when the SDK adds the version itself). */
  basePath: string;
  isCompletion(method: string, path: string): boolean;
  /** The provider's error JSON for a status. */
  errorBody(status: number, message: string): object;
  answer(ctx: AnswerContext): Promise<void>;
}
