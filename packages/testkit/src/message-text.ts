import { countWords } from './reply-plan';

/** The text of a message content: a string, or the text parts of a content array. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) =>
      typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string' ? part.text : '',
    )
    .join('');
}

function messagesOf(body: Record<string, unknown>): Array<{ role: string; text: string }> {
  const list = Array.isArray(body.messages) ? (body.messages as unknown[]) : [];
  return list.map((m) => {
    const obj = typeof m === 'object' && m !== null ? (m as Record<string, unknown>) : {};
    return { role: typeof obj.role === 'string' ? obj.role : '', text: contentText(obj.content) };
  });
}

/** What the echo behaviour answers: the last user message, or nothing. */
export function lastUserText(body: Record<string, unknown>): string {
  const users = messagesOf(body).filter((m) => m.role === 'user');
  return users.length ? users[users.length - 1].text : '';
}

/** Input tokens, counted as words over every message and a top-level system prompt (Anthropic). */
export function inputWords(body: Record<string, unknown>): number {
  const system = contentText(body.system);
  return messagesOf(body).reduce((n, m) => n + countWords(m.text), countWords(system));
}

/** The request's stop sequences, whichever field the protocol uses. */
export function stopList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : [];
}

export function numberField(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
