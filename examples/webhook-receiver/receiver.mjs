// A webhook endpoint for inferq: verify the signature over the raw bytes,
// then trust the body. Run: INFERQ_API_KEY=... node examples/webhook-receiver/receiver.mjs
import { createServer } from 'node:http';
import { InferqClient, verifyWebhook, WebhookVerificationError } from '../../packages/client/dist/index.js';

const port = Number(process.env.PORT ?? 8080);
// The tenant's signing secret: from the env, or asked of the api once at start.
const secret =
  process.env.INFERQ_WEBHOOK_SECRET ??
  (await new InferqClient({
    baseUrl: process.env.INFERQ_URL ?? 'http://127.0.0.1:3000',
    apiKey: process.env.INFERQ_API_KEY ?? '',
  }).webhooks.secret());

const server = createServer((req, res) => {
  if (req.method !== 'POST') return res.writeHead(405).end();
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    // The raw bytes: re-serialised JSON would not match the signature.
    const raw = Buffer.concat(chunks);
    try {
      const event = verifyWebhook(raw, req.headers, secret);
      // webhook-id is stable across retries: use it to ignore a repeated delivery.
      console.log(
        JSON.stringify({
          webhook_id: req.headers['webhook-id'],
          type: event.type,
          job: event.data.id,
          status: event.data.status,
          text: event.data.output?.text ?? null,
        }),
      );
      res.writeHead(204).end(); // any 2xx: delivered, no retry
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      console.error(`rejected a delivery: ${err.message}`);
      res.writeHead(400).end(); // not from inferq, or altered on the way
    }
  });
});
server.listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}/`));
