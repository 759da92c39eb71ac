import { z } from 'zod';

/**
 * Control characters other than tab, newline and carriage return are refused
 * in text: they have no place in a prompt and are a favourite of log and
 * terminal injection.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function safeText(max: number) {
  return z
    .string()
    .max(max)
    .refine((s) => !CONTROL.test(s), { message: 'must not contain NUL or other control characters' });
}
