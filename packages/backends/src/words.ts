/** One token per word, each with the whitespace after it (leading whitespace rides on the first), so tokens join back to the text. */
export function splitWords(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [];
}

export function countWords(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}
