import type { Logger } from '@inferq/core';
import type { RedisClient } from '../redis';

/** A process's cached copies by name (key digests, tenants' limits): one dropped, or all. */
export interface ForgetsCached {
  forget(name: string): void;
  forgetAll(): void;
}

/**
 * Listens on `{prefix}:security` (sharing the api's subscriber connection):
 * `key:<digest>` when a key is revoked, `limits:<tenant>` when a tenant's
 * limits change. Every api process drops its cached copy at once; after a
 * reconnect, when messages may have been missed, it drops everything.
 */
export class SecurityChannel {
  private readonly onMessage = (channel: string, message: string): void => {
    if (channel !== this.channel) return;
    const i = message.indexOf(':');
    const kind = message.slice(0, i);
    const value = message.slice(i + 1);
    if (kind === 'key') this.auth.forget(value);
    else if (kind === 'limits') this.limits.forget(value);
  };
  private readonly onReady = (): void => {
    this.auth.forgetAll();
    this.limits.forgetAll();
  };

  constructor(
    private readonly subscriber: RedisClient,
    private readonly channel: string,
    private readonly auth: ForgetsCached,
    private readonly limits: ForgetsCached,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.subscriber.on('message', this.onMessage);
    this.subscriber.on('ready', this.onReady);
    try {
      await this.subscriber.subscribe(this.channel);
    } catch (err) {
      // ioredis resubscribes on reconnect; until then the caches' time limit bounds staleness.
      this.logger.warn({ err }, 'subscribing to the security channel failed');
    }
  }

  stop(): void {
    this.subscriber.off('message', this.onMessage);
    this.subscriber.off('ready', this.onReady);
  }
}
