/**
 * Retry-After (RFC 9110) as milliseconds from now: delay-seconds (fractions
 * accepted, as some servers send them) or an HTTP date. Undefined when
 * absent or unreadable. Callers apply their own ceilings.
 */
export function parseRetryAfterMs(value: string | string[] | null | undefined, now = Date.now()): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
