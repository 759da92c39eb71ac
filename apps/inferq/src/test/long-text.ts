import { createHash, randomBytes } from 'node:crypto';

/** SHA-256 of a text's UTF-8 bytes, hex: how the long-context tests compare megabytes. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * About `chars` characters of varied text for a long prompt: random words of
 * 3 to 40 letters with multi-byte characters (accents, CJK, an emoji's
 * surrogate pair) among them, spaces and newlines between. Random, so nothing
 * can pass by compressing or truncating it into something equal.
 */
export function longText(chars: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzé日本語🙂ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const letters = [...alphabet];
  const bytes = randomBytes(chars);
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < chars;) {
    const n = 3 + ((bytes[i % bytes.length] ?? 0) % 38);
    let word = '';
    for (let j = 0; j < n; j++, i++) word += letters[(bytes[i % bytes.length] ?? 0) % letters.length];
    word += i % 17 === 0 ? '\n' : ' ';
    parts.push(word);
    length += word.length;
  }
  return parts.join('');
}
