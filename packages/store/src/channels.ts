import type { RedisClient } from './redis';

/**
 * The messages of some pub/sub channels, heard on a process's subscriber
 * connection. Several listeners may share one connection: each hears only its
 * own channels. ioredis subscribes again after a reconnect.
 */
export class ChannelListener {
  private readonly onMessage = (channel: string, message: string): void => {
    if (this.channels.includes(channel)) this.handler(channel, message);
  };

  constructor(
    private readonly subscriber: RedisClient,
    private readonly channels: readonly string[],
    private readonly handler: (channel: string, message: string) => void,
  ) {}

  async start(): Promise<void> {
    this.subscriber.on('message', this.onMessage);
    await this.subscriber.subscribe(...this.channels);
  }

  /** Stops handing on messages; the connection stays subscribed (it is closed with the process). */
  stop(): void {
    this.subscriber.off('message', this.onMessage);
  }
}
