import { decodePayload, encodePayload } from '../payload-codec';
import type { DeliveryJobData } from '@inferq/core';

/**
 * A webhook body carries the whole record, output included, and the delivery
 * job keeps it (BullMQ job data, JSON) for as long as the webhook queue keeps
 * the job. Large bodies are kept compressed (the job payloads' codec), as
 * base64 since job data is text: a 2 MB output costs ~0.5 MB there, not 2 MB.
 */
export async function packBody(body: string): Promise<Pick<DeliveryJobData, 'body' | 'bodyZ'>> {
  const stored = await encodePayload(body);
  return typeof stored === 'string' ? { body: stored } : { body: '', bodyZ: stored.toString('base64') };
}

/** The exact bytes every attempt sends. */
export function unpackBody(d: Pick<DeliveryJobData, 'body' | 'bodyZ'>): Promise<string> {
  return d.bodyZ === undefined ? Promise.resolve(d.body) : decodePayload(Buffer.from(d.bodyZ, 'base64'));
}
