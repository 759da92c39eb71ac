import { request as httpRequest } from 'node:http';
import type { Agent, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { AllowList } from './address-policy';
import { parseRetryAfterMs } from './retry-after';

export interface EgressOptions {
  allow?: AllowList;
  /** Whole attempt, connect to last byte read (ms). */
  timeoutMs?: number;
  /** Bytes of the answer read at most; the rest is dropped unread. */
  maxResponseBytes?: number;
  /** DNS lookup used at connect time; injectable so tests can play a rebinding DNS. */
  lookup?: LookupFunction;
}

export interface EgressResult {
  /** HTTP status, null when no answer came (network error, timeout, blocked). */
  status: number | null;
  ok: boolean;
  durationMs: number;
  /** The receiver's Retry-After on 429/503 (ms). */
  retryAfterMs?: number;
  /** The connect-time address check refused the destination. */
  blocked?: boolean;
  error?: string;
}

interface Agents {
  filtered: { http: Agent; https: Agent };
  /** For hosts WEBHOOK_ALLOW_HOSTS names by name, every address they resolve to. */
  open: { http: Agent; https: Agent };
}

/** request-filtering-agent refuses with this wording; its errors carry no code. */
const BLOCKED = /is not allowed\. Because/;

/**
 * Outbound POSTs to client systems, and the connect-time half of the SSRF
 * rules: request-filtering-agent checks the address each connection really
 * goes to (after DNS, so a rebinding DNS is caught), WEBHOOK_ALLOW_HOSTS
 * exempts hosts and CIDRs, redirects are answers and never followed, every
 * attempt is bounded in time and in bytes read.
 */
export class WebhookEgress {
  private agents?: Promise<Agents>;
  private readonly allow: AllowList;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;

  constructor(private readonly opts: EgressOptions = {}) {
    this.allow = opts.allow ?? new AllowList();
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.maxBytes = opts.maxResponseBytes ?? 64 * 1024;
  }

  async post(url: string, body: string, headers: Record<string, string>): Promise<EgressResult> {
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    let target: URL;
    try {
      target = new URL(url);
      if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error('not http(s)');
    } catch {
      return { status: null, ok: false, durationMs: 0, blocked: true, error: 'refused: not an http(s) URL' };
    }
    const agents = await this.loadAgents();
    const set = this.allow.allowsHost(target.hostname) ? agents.open : agents.filtered;
    try {
      const res = await this.send(target, body, headers, target.protocol === 'https:' ? set.https : set.http);
      return { ...res, durationMs: elapsed() };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const blocked = BLOCKED.test(message);
      return {
        status: null,
        ok: false,
        durationMs: elapsed(),
        error: blocked ? `refused: ${message}` : message,
        ...(blocked ? { blocked } : {}),
      };
    }
  }

  /** Closes pooled sockets. */
  async close(): Promise<void> {
    if (!this.agents) return;
    const a = await this.agents;
    for (const agent of [a.filtered.http, a.filtered.https, a.open.http, a.open.https]) agent.destroy();
  }

  private send(
    target: URL,
    body: string,
    headers: Record<string, string>,
    agent: Agent,
  ): Promise<Omit<EgressResult, 'durationMs'>> {
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(target, {
        method: 'POST',
        agent,
        ...(this.opts.lookup ? { lookup: this.opts.lookup } : {}),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'inferq-webhooks/1',
          ...headers,
          'content-length': Buffer.byteLength(body),
        },
      });
      const timer = setTimeout(() => req.destroy(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
      req.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.once('response', (res) => {
        this.drain(res).then(() => {
          clearTimeout(timer);
          resolve(describe(res));
        }, reject);
      });
      req.end(body);
    });
  }

  /** Reads at most maxBytes of the answer, then hangs up: a receiver cannot make us buffer more. */
  private drain(res: IncomingMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read >= this.maxBytes) {
          res.destroy();
          resolve();
        }
      });
      res.once('end', () => resolve());
      res.once('error', reject);
      res.once('close', () => resolve());
    });
  }

  private loadAgents(): Promise<Agents> {
    // request-filtering-agent is an ES module; a dynamic import loads it from CommonJS.
    this.agents ??= import('request-filtering-agent').then((m) => {
      // Keep-alive sockets stay bound to the address that was checked when they connected.
      const base = { keepAlive: true, timeout: this.timeoutMs };
      const filtered = { ...base, allowIPAddressList: this.allow.cidrs() };
      const open = { ...base, allowPrivateIPAddress: true };
      return {
        filtered: {
          http: new m.RequestFilteringHttpAgent(filtered),
          https: new m.RequestFilteringHttpsAgent(filtered),
        },
        open: { http: new m.RequestFilteringHttpAgent(open), https: new m.RequestFilteringHttpsAgent(open) },
      };
    });
    return this.agents;
  }
}

function describe(res: IncomingMessage): Omit<EgressResult, 'durationMs'> {
  const status = res.statusCode ?? 0;
  const ok = status >= 200 && status < 300;
  if (ok) return { status, ok };
  const out: Omit<EgressResult, 'durationMs'> = { status, ok, error: `HTTP ${status}` };
  if (status >= 300 && status < 400) out.error = `HTTP ${status}: redirect not followed`;
  if (status === 429 || status === 503) {
    const ms = parseRetryAfterMs(res.headers['retry-after']);
    if (ms !== undefined) out.retryAfterMs = ms;
  }
  return out;
}
