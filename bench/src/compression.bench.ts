import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import { loadCorpus, sample } from './text-corpus';

/**
 * Payload compression: CPU per KB against bytes saved, for gzip and brotli at
 * low levels, on realistic text (prose, code, and a chat request's JSON) of
 * the sizes jobs carry. Decides the codec of stored payloads (packages/store
 * payload-codec.ts); run on its own with `node bench/dist/compression.bench.js`.
 */
export interface CodecFigures {
  codec: string;
  /** Compressed bytes / original bytes, over every sample. */
  ratio: number;
  /** Compression CPU, µs per KB of input (median over samples). */
  compressUsPerKb: number;
  decompressUsPerKb: number;
  /** The same at each size (µs per KB), to show fixed costs on small payloads. */
  bySize: Record<string, { ratio: number; compressUsPerKb: number; decompressUsPerKb: number }>;
}

interface Codec {
  name: string;
  compress(b: Buffer): Buffer;
  decompress(b: Buffer): Buffer;
}

const gzip = (level: number): Codec => ({
  name: `gzip ${level}`,
  compress: (b) => gzipSync(b, { level }),
  decompress: (b) => gunzipSync(b),
});
const brotli = (quality: number): Codec => ({
  name: `brotli ${quality}`,
  compress: (b) =>
    brotliCompressSync(b, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: quality,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: b.length,
      },
    }),
  decompress: (b) => brotliDecompressSync(b),
});

export const CODECS: Codec[] = [
  gzip(1),
  gzip(3),
  gzip(6),
  brotli(0),
  brotli(1),
  brotli(2),
  brotli(3),
  brotli(4),
  brotli(5),
];
export const SIZES = { '2 KB': 2048, '8 KB': 8192, '100 KB': 102_400, '1 MB': 1_048_576 };

/** Texts of each size: prose, code, and the stored form of a chat request (escaped JSON). */
function samples(): Array<{ size: string; text: Buffer }> {
  const { prose, code } = loadCorpus();
  return Object.entries(SIZES).flatMap(([size, bytes]) => {
    const chat = JSON.stringify({
      input: {
        messages: [
          { role: 'system', content: 'Answer from the documents.' },
          { role: 'user', content: sample(prose, bytes - 200) },
        ],
      },
      params: { temperature: 0.2, max_tokens: 512 },
    });
    return [sample(prose, bytes), sample(code, bytes), chat].map((t) => ({ size, text: Buffer.from(t) }));
  });
}

/** CPU µs of one call, from enough repetitions to fill ~`budgetMs`. */
function cpuUs(fn: () => void, budgetMs: number): number {
  fn(); // warm-up
  let runs = 0;
  const start = process.cpuUsage();
  const wall = performance.now();
  do {
    fn();
    runs++;
  } while (performance.now() - wall < budgetMs);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / runs;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const r2 = (x: number) => Math.round(x * 100) / 100;

export function compressionBench(budgetMs = 60): CodecFigures[] {
  const all = samples();
  return CODECS.map((codec) => {
    const rows = all.map(({ size, text }) => {
      const packed = codec.compress(text);
      const kb = text.length / 1024;
      return {
        size,
        in: text.length,
        out: packed.length,
        c: cpuUs(() => codec.compress(text), budgetMs) / kb,
        d: cpuUs(() => codec.decompress(packed), budgetMs) / kb,
      };
    });
    const bySize: CodecFigures['bySize'] = {};
    for (const size of Object.keys(SIZES)) {
      const r = rows.filter((x) => x.size === size);
      bySize[size] = {
        ratio: r2(r.reduce((s, x) => s + x.out, 0) / r.reduce((s, x) => s + x.in, 0)),
        compressUsPerKb: r2(median(r.map((x) => x.c))),
        decompressUsPerKb: r2(median(r.map((x) => x.d))),
      };
    }
    return {
      codec: codec.name,
      ratio: r2(rows.reduce((s, x) => s + x.out, 0) / rows.reduce((s, x) => s + x.in, 0)),
      compressUsPerKb: r2(median(rows.map((x) => x.c))),
      decompressUsPerKb: r2(median(rows.map((x) => x.d))),
      bySize,
    };
  });
}

/** The figures as a markdown table: one row per codec, ratio and CPU per size. */
export function compressionTable(figures: CodecFigures[]): string[] {
  const sizes = Object.keys(SIZES);
  return [
    '| codec | ' + sizes.map((s) => `${s}: size after / µs per KB in / out`).join(' | ') + ' |',
    '| --- | ' + sizes.map(() => '---').join(' | ') + ' |',
    ...figures.map(
      (f) =>
        `| ${f.codec} | ` +
        sizes
          .map((s) => {
            const x = f.bySize[s];
            return `${Math.round(x.ratio * 100)}% / ${x.compressUsPerKb} / ${x.decompressUsPerKb}`;
          })
          .join(' | ') +
        ' |',
    ),
  ];
}

if (require.main === module) {
  process.stdout.write(`${compressionTable(compressionBench()).join('\n')}\n`);
}
