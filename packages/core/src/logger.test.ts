import { Writable } from 'node:stream';
import { createLogger } from './logger';

/** A logger whose JSON lines land in an array. */
function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

it('redacts authorization headers, API keys, provider keys and webhook secrets wherever they are logged', () => {
  const { lines, stream } = capture();
  const log = createLogger('info', 'test', stream);
  const secrets = [
    'Bearer SECRET-A',
    'SECRET-B',
    'sk-SECRET-C',
    'whsec_SECRET-D',
    'SECRET-E',
    'SECRET-F',
    'SECRET-G',
    'SECRET-H',
  ];
  log.info({ req: { headers: { authorization: secrets[0] } } }, 'request');
  log.info({ err: { headers: { authorization: secrets[0], 'x-api-key': secrets[1] } } }, 'sdk error');
  log.info(
    {
      config: {
        OPENAI_API_KEY: secrets[2],
        ANTHROPIC_API_KEY: secrets[1],
        ADMIN_TOKEN: secrets[4],
        METRICS_TOKEN: secrets[5],
        API_KEYS: secrets[6],
      },
    },
    'config',
  );
  log.info({ tenant: { webhookSecret: secrets[3] }, apiKey: secrets[7] }, 'tenant');
  log.child({ jobId: 'job_1' }).info({ token: secrets[1], secret: secrets[3] }, 'child');
  const out = lines.join('');
  expect(lines).toHaveLength(5);
  for (const s of secrets) expect(out).not.toContain(s);
  expect(out).toContain('[redacted]');
  expect(out).toContain('"jobId":"job_1"');
});
