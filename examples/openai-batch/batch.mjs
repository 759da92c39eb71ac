// The OpenAI Batch API on inferq, with the official openai SDK: only baseURL and the key change.
//   INFERQ_URL=http://127.0.0.1:3000 INFERQ_API_KEY=<key> node examples/openai-batch/batch.mjs [N] [MODEL]
// Uploads N chat requests as a JSONL file, runs them as one batch (low priority: it fills idle
// capacity and gives way to interactive jobs), polls it, and prints the output file's answers.
import OpenAI, { toFile } from 'openai';

const url = process.env.INFERQ_URL ?? 'http://127.0.0.1:3000';
const n = Number(process.argv[2] ?? 10);
const model = process.argv[3] ?? 'sim/echo';
const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: process.env.INFERQ_API_KEY });

const lines = Array.from({ length: n }, (_, i) => ({
  custom_id: `question-${i}`,
  method: 'POST',
  url: '/v1/chat/completions',
  body: { model, messages: [{ role: 'user', content: `What is ${i} + ${i}?` }], max_tokens: 64 },
}));
const jsonl = lines.map((l) => JSON.stringify(l)).join('\n');

const file = await openai.files.create({ file: await toFile(Buffer.from(jsonl), 'questions.jsonl'), purpose: 'batch' });
let batch = await openai.batches.create({
  input_file_id: file.id,
  endpoint: '/v1/chat/completions',
  completion_window: '24h',
  metadata: { example: 'openai-batch' },
});
console.error(`batch ${batch.id} created from ${file.id}`);

while (!['completed', 'failed', 'expired', 'cancelled'].includes(batch.status)) {
  await new Promise((r) => setTimeout(r, 500));
  batch = await openai.batches.retrieve(batch.id);
  const c = batch.request_counts;
  console.error(`${batch.status}: ${c.completed + c.failed}/${c.total}`);
}
if (batch.status !== 'completed') {
  console.error(JSON.stringify(batch.errors ?? batch, null, 2));
  process.exit(1);
}

const output = await (await openai.files.content(batch.output_file_id)).text();
for (const line of output.trim().split('\n')) {
  const { custom_id, response } = JSON.parse(line);
  console.log(`${custom_id}: ${response.body.choices[0].message.content}`);
}
const c = batch.request_counts;
console.log(JSON.stringify({ batch: batch.id, status: batch.status, completed: c.completed, failed: c.failed }));
