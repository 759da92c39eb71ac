import { Redis } from 'ioredis';
import { parseMonitorLine, startMonitorAt } from './redis-monitor';
import { testPrefix, testRedisUrl, waitFor } from './test-redis';

describe('MONITOR lines', () => {
  it('parse into the source and the quoted arguments, escapes kept', () => {
    expect(parseMonitorLine('+1796106601.240947 [0 lua] "HMGET" "{p}:sched:inflight" "a\\"b"')).toEqual({
      source: 'lua',
      args: ['HMGET', '{p}:sched:inflight', 'a\\"b'],
    });
    expect(parseMonitorLine('+1.5 [0 127.0.0.1:33636] "evalsha" "88fe" "1"')?.source).toBe('127.0.0.1:33636');
    expect(parseMonitorLine('+OK')).toBeUndefined();
  });

  it('show a real server’s commands', async () => {
    const key = `${testPrefix('monitor')}:k`;
    const seen: string[][] = [];
    const monitor = await startMonitorAt(testRedisUrl(), ({ args }) => void (args[1] === key && seen.push(args)));
    const redis = new Redis(testRedisUrl());
    try {
      await redis.set(key, 'v', 'EX', 5);
      await waitFor(() => (seen.length ? true : undefined));
      expect(seen[0]?.[0]?.toLowerCase()).toBe('set');
    } finally {
      monitor.close();
      redis.disconnect();
    }
  });

  // ioredis's monitor() fails this within a few rounds ("Command queue state error").
  it('start and close while the server is busy without an error', async () => {
    const redis = new Redis(testRedisUrl());
    let busy = true;
    const traffic = (async () => {
      while (busy) await Promise.all(Array.from({ length: 50 }, () => redis.get('monitor-traffic')));
    })();
    try {
      for (let round = 0; round < 30; round++) {
        const monitor = await startMonitorAt(testRedisUrl(), () => undefined);
        await new Promise((resolve) => setTimeout(resolve, 5));
        monitor.close();
      }
    } finally {
      busy = false;
      await traffic;
      redis.disconnect();
    }
  });
});
