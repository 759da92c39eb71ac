import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AllowList, blockedAddressReason } from './address-policy';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address it has; injectable so tests need no DNS. */
export type ResolveHost = (host: string) => Promise<ResolvedAddress[]>;

export const systemResolve: ResolveHost = (host) => dnsLookup(host, { all: true, verbatim: true });

export type UrlVerdict =
  | { ok: true }
  /** The client's mistake: answer 400 naming `reason`. */
  | { ok: false; kind: 'refused'; reason: string }
  /** DNS itself failed (not "no such host"): try again later. */
  | { ok: false; kind: 'unavailable'; reason: string };

export interface UrlPolicyOptions {
  allow?: AllowList;
  resolve?: ResolveHost;
  /** Bound on the DNS lookup at submit (ms). */
  resolveTimeoutMs?: number;
}

/** DNS answers that mean the host does not exist, as opposed to DNS being down. */
const NO_SUCH_HOST = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NONAME']);

/**
 * The submit-time half of the egress rules (OWASP API7, SSRF): http(s) only,
 * and a host that neither is nor resolves to a loopback, private, link-local,
 * CGNAT, unique-local, multicast, reserved or metadata address, unless
 * WEBHOOK_ALLOW_HOSTS names it. The dispatcher checks again at connect time,
 * because DNS can answer differently by then (rebinding).
 */
export class WebhookUrlPolicy {
  private readonly allow: AllowList;
  private readonly resolve: ResolveHost;
  private readonly timeoutMs: number;

  constructor(opts: UrlPolicyOptions = {}) {
    this.allow = opts.allow ?? new AllowList();
    this.resolve = opts.resolve ?? systemResolve;
    this.timeoutMs = opts.resolveTimeoutMs ?? 5000;
  }

  async check(url: string): Promise<UrlVerdict> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return refused('is not a valid URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return refused('must be an http or https URL');
    if (parsed.username || parsed.password) return refused('must not carry credentials');
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    if (this.allow.allowsHost(host)) return { ok: true };
    if (isIP(host)) {
      if (this.allow.allowsAddress(host)) return { ok: true };
      const why = blockedAddressReason(host);
      return why ? refused(`is ${why}`) : { ok: true };
    }
    return this.checkResolved(host);
  }

  private async checkResolved(host: string): Promise<UrlVerdict> {
    let addresses: ResolvedAddress[];
    try {
      addresses = await withTimeout(this.resolve(host), this.timeoutMs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (NO_SUCH_HOST.has(code)) return refused(`host ${host} does not resolve`);
      return { ok: false, kind: 'unavailable', reason: `could not resolve ${host} (${code || 'timeout'})` };
    }
    if (addresses.length === 0) return refused(`host ${host} does not resolve`);
    for (const { address } of addresses) {
      if (this.allow.allowsAddress(address)) continue;
      const why = blockedAddressReason(address);
      if (why) return refused(`resolves to ${why}`);
    }
    return { ok: true };
  }
}

function refused(reason: string): UrlVerdict {
  return { ok: false, kind: 'refused', reason };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('DNS timeout'), { code: 'ETIMEOUT' })), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
