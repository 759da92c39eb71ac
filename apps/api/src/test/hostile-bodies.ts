import fc from 'fast-check';
import { validJob } from './harness';

/**
 * Generators of hostile POST /v1/jobs bodies (raw JSON text, so keys like
 * `__proto__` arrive exactly as written) and content types, shared by the
 * in-process fuzz test and the process-level test.
 */
const json = (v: unknown): string => JSON.stringify(v) ?? 'null';

const nasty = fc.constantFrom(
  '\u0000',
  'a\u0007b',
  '\u001b[31m',
  '\u202e',
  '\ufeff',
  '\u200b',
  '\ud800',
  '\udfff',
  '\ud83d\ude00',
  'e\u0301',
  '\u{10ffff}',
  '\r\n',
  '\\',
  '"',
  '%00',
  '${jndi:x}',
  '<script>',
  "' OR 1=1 --",
);
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  nasty,
  fc.tuple(nasty, fc.nat({ max: 3000 })).map(([s, n]) => s.repeat(n)),
);
const anyJson = fc.jsonValue({ maxDepth: 5 });
const wild = fc.oneof(anyJson, text, fc.double(), fc.constantFrom(-1, 0, 1e308, -0, 2 ** 53 + 1, 1.5));
const hostileKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
  'model',
  'input',
  '\u0000',
);

const message = fc.record({
  role: fc.oneof(fc.constantFrom('user', 'system', 'assistant', 'robot'), wild),
  content: fc.oneof(text, wild),
});
const input = fc.oneof(
  fc.record({ messages: fc.oneof(fc.array(message, { maxLength: 5 }), wild) }),
  fc.record({ prompt: fc.oneof(text, wild) }),
  wild,
);
const job = fc.record(
  {
    model: fc.oneof(fc.constantFrom('sim/echo', 'openai/gpt-4o-mini', 'nope/x', 'sim/../../etc'), text, wild),
    input,
    params: fc.oneof(
      fc.record({ temperature: wild, max_tokens: wild, stop: wild, seed: wild }, { requiredKeys: [] }),
      wild,
    ),
    priority: fc.oneof(fc.constantFrom('high', 'normal', 'low'), wild),
    timeout_s: wild,
    max_attempts: wild,
    webhook: fc.oneof(fc.record({ url: fc.oneof(fc.webUrl(), text) }), wild),
    metadata: fc.oneof(fc.dictionary(text, wild, { maxKeys: 20 }), wild),
    cache: wild,
  },
  { requiredKeys: [] },
);

/** Valid requests with hostile-but-allowed text (unicode edge cases, injection strings): these must be 202. */
const allowedText = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }),
  fc.constantFrom('\u202e', '\ufeff', '${jndi:x}', '<script>', 'e\u0301'),
);
const validish = fc.record(
  {
    model: fc.constant('sim/echo'),
    input: fc.oneof(
      fc.record({ prompt: allowedText }),
      fc.record({
        messages: fc.array(fc.record({ role: fc.constantFrom('user', 'system', 'assistant'), content: allowedText }), {
          minLength: 1,
          maxLength: 3,
        }),
      }),
    ),
    params: fc.record(
      { temperature: fc.double({ min: 0, max: 2, noNaN: true }), max_tokens: fc.integer({ min: 1, max: 4096 }) },
      { requiredKeys: [] },
    ),
    priority: fc.constantFrom('high', 'normal', 'low'),
    metadata: fc.dictionary(
      fc.string({ minLength: 1, maxLength: 10 }),
      fc.oneof(fc.integer(), fc.boolean(), fc.constant(null)),
      { maxKeys: 5 },
    ),
    cache: fc.boolean(),
  },
  { requiredKeys: ['model', 'input'] },
);

/** Splices `"key": value` into the front of a JSON object text, at the top or inside `input`. */
const withHostileKey = fc.tuple(job, hostileKey, wild, fc.boolean()).map(([j, key, value, nested]) => {
  const entry = `${json(key)}:${json(value)}`;
  if (!nested) return `{${entry},${json(j).slice(1)}`.replace(/,}$/, '}');
  return `{"model":"sim/echo","input":{${entry},"prompt":"x"}}`;
});
const deep = fc.tuple(fc.integer({ min: 1, max: 60_000 }), fc.boolean()).map(([depth, objects]) => {
  const inner = objects ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`;
  return `{"model":"sim/echo","input":${inner}}`;
});
const huge = fc.constantFrom(
  json({ model: 'sim/echo', input: { prompt: 'x'.repeat(1_100_000) } }), // over the fuzz test's 1mb MAX_BODY_BYTES: 413
  json({ model: 'sim/echo', input: { prompt: 'y'.repeat(300_000) } }), // under it: a long prompt is fine, 202
  json({
    model: 'sim/echo',
    input: { messages: Array.from({ length: 1001 }, () => ({ role: 'user', content: 'z' })) },
  }),
  json({ ...validJob, metadata: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i])) }),
);
const garbage = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom('', 'null', '[]', '"x"', '{', '{"a":1e999}', '\ufeff{}'),
);

export const hostileBody = fc.oneof(
  { arbitrary: job.map(json), weight: 4 },
  { arbitrary: validish.map(json), weight: 2 },
  { arbitrary: withHostileKey, weight: 3 },
  { arbitrary: deep, weight: 1 },
  { arbitrary: huge, weight: 1 },
  { arbitrary: garbage, weight: 2 },
);
export const hostileContentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 8 },
  {
    arbitrary: fc.constantFrom('text/plain', 'application/json; charset=latin1', 'application/x-www-form-urlencoded'),
    weight: 1,
  },
);
