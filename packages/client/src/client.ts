import { Batches } from './batches';
import { HttpClient } from './http';
import type { ClientOptions } from './http';
import { Jobs } from './jobs';
import type { Model, ModelList } from './types';
import { Webhooks } from './webhooks';

/**
 * The inferq API from code:
 *
 *   const inferq = new InferqClient({ baseUrl: 'http://127.0.0.1:3000', apiKey });
 *   const { id } = await inferq.jobs.create({ model: 'sim/echo', input: { prompt: 'Hi' } });
 *   const job = await inferq.jobs.wait(id);
 */
export class InferqClient {
  readonly jobs: Jobs;
  readonly webhooks: Webhooks;
  /** Server-side batches (OpenAI Batch API compatible): files and batches. */
  readonly batches: Batches;
  readonly models: { list(o?: { signal?: AbortSignal }): Promise<Model[]> };

  constructor(opts: ClientOptions) {
    if (!opts.baseUrl) throw new TypeError('InferqClient: baseUrl is required');
    if (!opts.apiKey) throw new TypeError('InferqClient: apiKey is required');
    const http = new HttpClient(opts);
    this.jobs = new Jobs(http);
    this.webhooks = new Webhooks(http);
    this.batches = new Batches(http);
    this.models = {
      list: async (o = {}) => (await http.json<ModelList>('GET', '/v1/models', { signal: o.signal })).data,
    };
  }
}
