import fc from 'fast-check';

/**
 * Generators of hostile POST /v1/chat/completions bodies (raw JSON text, so
 * keys like `__proto__` arrive exactly as written) and content types, in the
 * manner of the api's hostile job bodies: OpenAI's fields with wild values,
 * valid requests with odd-but-allowed text, deep, huge and garbage bodies.
 */
const json = (v: unknown): string => JSON.stringify(v) ?? 'null';

const nasty = fc.constantFrom(
  '\u0000',
  '\u001b[31m',
  '\u202e',
  '\ufeff',
  '\ud800',
  '\ud83d\ude00',
  '\r\n',
  '"',
  '${jndi:x}',
);
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  nasty,
  fc.tuple(nasty, fc.nat({ max: 2000 })).map(([s, n]) => s.repeat(n)),
);
const wild = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  text,
  fc.double(),
  fc.constantFrom(-1, 0, 1, 2, 1e308, 2 ** 53 + 1, 0.5, null, true),
);
const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '', 'model', 'messages');

const part = fc.oneof(
  fc.record({ type: fc.constant('text'), text: fc.oneof(text, wild) }),
  fc.record({ type: fc.constantFrom('image_url', 'input_audio', 'file', 'refusal'), image_url: wild }),
  wild,
);
const message = fc.record(
  {
    role: fc.oneof(fc.constantFrom('user', 'system', 'developer', 'assistant', 'tool', 'function'), wild),
    content: fc.oneof(text, fc.array(part, { maxLength: 4 }), wild),
    tool_calls: wild,
    name: wild,
  },
  { requiredKeys: ['role'] },
);
const chat = fc.record(
  {
    model: fc.oneof(fc.constantFrom('sim/echo', 'gpt-4o', 'nope/x', 'openai/../../x'), text, wild),
    messages: fc.oneof(fc.array(message, { maxLength: 5 }), wild),
    temperature: wild,
    top_p: wild,
    max_tokens: wild,
    max_completion_tokens: wild,
    stop: wild,
    seed: wild,
    stream: fc.oneof(fc.boolean(), wild),
    stream_options: fc.oneof(fc.record({ include_usage: fc.oneof(fc.boolean(), wild) }), wild),
    user: wild,
    metadata: fc.oneof(fc.dictionary(text, wild, { maxKeys: 20 }), wild),
    service_tier: fc.oneof(fc.constantFrom('auto', 'default', 'flex', 'priority', 'scale'), wild),
    n: wild,
    tools: wild,
    tool_choice: wild,
    audio: wild,
    modalities: wild,
    response_format: wild,
    logprobs: wild,
    frequency_penalty: wild,
  },
  { requiredKeys: [] },
);

/** Valid requests with allowed text: these must be 200 (404 for the odd model nothing serves). */
const allowedText = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
  fc.constantFrom('\u202e', '\ufeff', '${jndi:x}', '<script>', 'e\u0301'),
);
const valid = fc.record(
  {
    model: fc.oneof(
      { arbitrary: fc.constant('sim/echo'), weight: 6 },
      { arbitrary: fc.constantFrom('gpt-4o', 'nope/model'), weight: 1 },
    ),
    messages: fc.array(
      fc.record({
        role: fc.constantFrom('user', 'system', 'developer', 'assistant'),
        content: fc.oneof(
          allowedText,
          fc.array(fc.record({ type: fc.constant('text'), text: allowedText }), { maxLength: 3 }),
        ),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    temperature: fc.oneof(fc.double({ min: 0, max: 2, noNaN: true }), fc.constant(null)),
    max_completion_tokens: fc.integer({ min: 1, max: 4096 }),
    stream: fc.boolean(),
    stream_options: fc.record({ include_usage: fc.boolean() }),
    service_tier: fc.constantFrom('auto', 'default', 'flex', 'priority'),
    n: fc.constant(1),
    user: allowedText,
  },
  { requiredKeys: ['model', 'messages'] },
);

const withHostileKey = fc.tuple(chat, hostileKey, wild).map(([c, key, value]) => {
  return `{${json(key)}:${json(value)},${json(c).slice(1)}`.replace(/,}$/, '}');
});
const deep = fc.tuple(fc.integer({ min: 1, max: 50_000 }), fc.boolean()).map(([depth, objects]) => {
  const inner = objects ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`;
  return `{"model":"sim/echo","messages":${inner}}`;
});
const huge = fc.constantFrom(
  json({ model: 'sim/echo', messages: [{ role: 'user', content: 'x'.repeat(300_000) }] }), // over MAX_BODY_BYTES
  json({ model: 'sim/echo', messages: Array.from({ length: 1001 }, () => ({ role: 'user', content: 'z' })) }),
  json({
    model: 'sim/echo',
    messages: [{ role: 'user', content: Array.from({ length: 2000 }, () => ({ type: 'text', text: 'w' })) }],
  }),
);
const garbage = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('', 'null', '[]', '"x"', '{', '{"a":1e999}', '\ufeff{}'),
);

export const hostileChatBody = fc.oneof(
  { arbitrary: chat.map(json), weight: 4 },
  { arbitrary: valid.map(json), weight: 3 },
  { arbitrary: withHostileKey, weight: 2 },
  { arbitrary: deep, weight: 1 },
  { arbitrary: huge, weight: 1 },
  { arbitrary: garbage, weight: 2 },
);
export const hostileContentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 8 },
  { arbitrary: fc.constantFrom('text/plain', 'application/json; charset=latin1'), weight: 1 },
);
