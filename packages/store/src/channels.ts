import type { JobEvent } from './job-events';
import { STREAM_ID_PATTERN } from './job-events';
import type { RedisClient } from './redis';
import { shardedPubSub } from './redis';

/**
 * The job ids of a message on an events, tokens or cancel channel: the transition scripts publish
 * one call's ids together, separated by single spaces (see eventsChannel in core's keys.ts); a
 * message of one job is its id alone.
 */
export function messageIds(message: string): string[] {
  return message.split(' ');
}

/** A batch of streamed tokens as its tokens-channel message carries it (job-tokens.lua). */
export interface PushedTokens {
  job: string;
  /** The id of the stream entry before this one ('0-0' if none): a reader that sent it may write `event` at once. */
  prev: string;
  event: JobEvent;
}

/**
 * The entry a tokens-channel message carries, `<jobId> <prevId> <entryId> <data>`; undefined for a
 * message of job ids alone (a batch too big to carry, or an older worker): read the stream then.
 */
export function pushedTokens(message: string): PushedTokens | undefined {
  const a = message.indexOf(' ');
  const b = message.indexOf(' ', a + 1);
  const c = message.indexOf(' ', b + 1);
  if (a < 0 || b < 0 || c < 0) return undefined;
  const prev = message.slice(a + 1, b);
  const id = message.slice(b + 1, c);
  const data = message.slice(c + 1);
  // Job ids never look like stream ids, nor start with '{': a message of several ids is never taken for one.
  if (!STREAM_ID_PATTERN.test(prev) || !STREAM_ID_PATTERN.test(id) || !data.startsWith('{')) return undefined;
  return { job: message.slice(0, a), prev, event: { id, type: 'token', data } };
}

/**
 * The messages of some pub/sub channels, heard on a process's subscriber
 * connection (createRedis role `subscriber`). Several listeners may share one
 * connection: each hears only its own channels. On a Cluster the channels are
 * sharded (SSUBSCRIBE, one call per channel: each may live on another shard).
 * ioredis subscribes again after a reconnect.
 */
export class ChannelListener {
  private readonly sharded: boolean;
  private readonly onMessage = (channel: string, message: string): void => {
    if (this.channels.includes(channel)) this.handler(channel, message);
  };

  constructor(
    private readonly subscriber: RedisClient,
    private readonly channels: readonly string[],
    private readonly handler: (channel: string, message: string) => void,
  ) {
    this.sharded = shardedPubSub(subscriber);
  }

  async start(): Promise<void> {
    if (this.sharded) {
      this.subscriber.on('smessage', this.onMessage);
      await Promise.all(this.channels.map((ch) => this.subscriber.ssubscribe(ch)));
    } else {
      this.subscriber.on('message', this.onMessage);
      await this.subscriber.subscribe(...this.channels);
    }
  }

  /** Stops handing on messages; the connection stays subscribed (it is closed with the process). */
  stop(): void {
    this.subscriber.off(this.sharded ? 'smessage' : 'message', this.onMessage);
  }
}
