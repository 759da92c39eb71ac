import { ChatCompletionRequest } from '@inferq/core';
import type { ApiDeps } from '../deps';
import { listModelsHandler } from '../handlers/list-models.handler';
import { defineRoute } from '../route';
import type { Route } from '../route';
import { chatCompletionsHandler } from './chat-completions.handler';
import { CHAT_COMPLETIONS_DOC } from './openai-route-docs';

/** The OpenAI-compatible routes (SPEC section 10): every error they answer takes OpenAI's shape. */
export function openAIRoutes(deps: ApiDeps): Route[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/v1/chat/completions',
      auth: 'tenant',
      errorStyle: 'openai',
      body: ChatCompletionRequest,
      precheck: (tenant) => deps.tenancy.admission.admit(tenant),
      handler: chatCompletionsHandler(deps),
      doc: CHAT_COMPLETIONS_DOC,
    }),
    defineRoute({
      method: 'GET',
      path: '/v1/models',
      auth: 'tenant',
      errorStyle: 'openai',
      handler: listModelsHandler(deps),
    }),
  ];
}
