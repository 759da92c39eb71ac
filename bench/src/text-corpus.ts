import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './proc';

/**
 * Realistic text for payload measurements, from files every checkout has
 * (sorted, so every run reads the same bytes): English technical prose (the
 * README files of the installed packages, the kind of documents a
 * retrieval-augmented prompt carries) and source code (TypeScript's DOM
 * declarations). Random or repeated text would flatter or wrong a compressor.
 */
export interface Corpus {
  prose: string;
  code: string;
}

const PNPM = join(ROOT, 'node_modules', '.pnpm');

function readmes(): string {
  const parts: string[] = [];
  for (const entry of readdirSync(PNPM).sort()) {
    const dir = join(PNPM, entry, 'node_modules');
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      try {
        parts.push(readFileSync(join(dir, name, 'README.md'), 'utf8'));
      } catch {
        // scoped folders and packages without a README
      }
    }
  }
  return parts.join('\n\n');
}

function domTypes(): string {
  const ts = readdirSync(PNPM).find((d) => d.startsWith('typescript@'));
  if (!ts) throw new Error('typescript is not installed under node_modules/.pnpm');
  return readFileSync(join(PNPM, ts, 'node_modules', 'typescript', 'lib', 'lib.dom.d.ts'), 'utf8');
}

let cached: Corpus | undefined;
export function loadCorpus(): Corpus {
  cached ??= { prose: readmes(), code: domTypes() };
  return cached;
}

/** `bytes` characters of the text, starting at a fixed offset that differs per size (so sizes do not share a prefix). */
export function sample(text: string, bytes: number): string {
  if (text.length < bytes + 1024) throw new Error(`the corpus has ${text.length} characters, ${bytes + 1024} needed`);
  const start = (bytes * 7) % (text.length - bytes);
  return text.slice(start, start + bytes);
}
