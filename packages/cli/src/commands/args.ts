import { UsageError } from '../env';

/** A numeric option, or undefined when absent; anything else is a usage error naming the option. */
export function toNumber(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${name} must be a number, got "${value}"`);
  return n;
}

export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('give a prompt, or pipe one on stdin');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\n$/, '');
}
