import type { Logger } from '@inferq/core';
import { ChannelListener } from '../channels';
import type { RedisClient } from '../redis';

/** A process's cached copies by name (key digests, tenants' limits): one dropped, or all. */
export interface ForgetsCached {
  forget(name: string): void;
  forgetAll(): void;
}

/**
 * Listens on the security channel (sharing the api's subscriber connection):
 * `key:<digest>` when a key is revoked, `limits:<tenant>` when a tenant's
 * limits change. Every api process drops its cached copy at once; after a
 * reconnect, when messages may have been missed, it drops everything.
 */
export class SecurityChannel {
  private readonly listener: ChannelListener;
  private readonly onReady = (): void => {
    this.auth.forgetAll();
    this.limits.forgetAll();
  };

  constructor(
    private readonly subscriber: RedisClient,
    channel: string,
    private readonly auth: ForgetsCached,
    private readonly limits: ForgetsCached,
    private readonly logger: Logger,
  ) {
    this.listener = new ChannelListener(subscriber, [channel], (_ch, message) => this.onMessage(message));
  }

  async start(): Promise<void> {
    this.subscriber.on('ready', this.onReady);
    try {
      await this.listener.start();
    } catch (err) {
      // ioredis resubscribes on reconnect; until then the caches' time limit bounds staleness.
      this.logger.warn({ err }, 'subscribing to the security channel failed');
    }
  }

  stop(): void {
    this.listener.stop();
    this.subscriber.off('ready', this.onReady);
  }

  private onMessage(message: string): void {
    const i = message.indexOf(':');
    const kind = message.slice(0, i);
    const value = message.slice(i + 1);
    if (kind === 'key') this.auth.forget(value);
    else if (kind === 'limits') this.limits.forget(value);
  }
}
