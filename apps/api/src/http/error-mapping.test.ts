import { UnavailableError } from '@inferq/core';
import { isRedisDownError, toAppError } from './error-mapping';

describe('isRedisDownError', () => {
  it.each([
    'Connection is closed.',
    "Cluster isn't ready and enableOfflineQueue options is false",
    'CLUSTERDOWN The cluster is down',
    // A Cluster client's last word on a slot whose master was SIGKILLed and restarts from its AOF.
    'Too many Cluster redirections. Last error: Error: Connection is closed.',
    'Too many Cluster redirections. Last error: ReplyError: MOVED 4772 127.0.0.1:37261',
    'Too many Cluster redirections. Last error: ReplyError: CLUSTERDOWN The cluster is down',
  ])('takes "%s" for Redis being down (503)', (message) => {
    expect(isRedisDownError(new Error(message))).toBe(true);
    expect(toAppError(new Error(message))).toBeInstanceOf(UnavailableError);
  });

  it('leaves other errors to become a 500', () => {
    expect(isRedisDownError(new Error('ERR wrong number of arguments'))).toBe(false);
    expect(isRedisDownError(new TypeError('x is undefined'))).toBe(false);
  });
});
