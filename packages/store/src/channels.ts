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
