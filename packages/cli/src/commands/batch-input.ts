import { readFileSync } from 'node:fs';
import type { JobRequestInput } from '@inferq/client';
import { UsageError } from '../env';

export interface BatchItem {
  /** 1-based line number in the input file: the key of its result. */
  line: number;
  customId?: string;
  request: JobRequestInput;
}

/**
 * One job per non-empty line of a JSONL file. A line is a JSON string (the
 * prompt), or an object with `prompt` or `messages` (or a whole job request
 * with `input`), optionally `custom_id` (echoed in the result) and any other
 * request field (`params`, `priority`, `metadata`, `model`...). The whole
 * file is checked before anything is submitted.
 */
export function readBatchInput(path: string, defaultModel: string | undefined): BatchItem[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as Error).message}`);
  }
  const items: BatchItem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim()) items.push(toItem(raw, i + 1, path, defaultModel));
  });
  return items;
}

function toItem(raw: string, line: number, path: string, defaultModel: string | undefined): BatchItem {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new UsageError(`${path}:${line}: not JSON`);
  }
  if (typeof value === 'string')
    return { line, request: withModel({ input: { prompt: value } }, defaultModel, path, line) };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${path}:${line}: expected a string or an object`);
  }
  const { custom_id, prompt, messages, ...rest } = value as Record<string, unknown>;
  const input =
    'input' in rest
      ? rest.input
      : prompt !== undefined
        ? { prompt }
        : messages !== undefined
          ? { messages }
          : undefined;
  if (input === undefined) throw new UsageError(`${path}:${line}: needs "prompt", "messages" or "input"`);
  const request = withModel({ ...rest, input }, defaultModel, path, line);
  return {
    line,
    request,
    ...(custom_id !== undefined
      ? { customId: typeof custom_id === 'string' ? custom_id : JSON.stringify(custom_id) }
      : {}),
  };
}

function withModel(r: Record<string, unknown>, model: string | undefined, path: string, line: number): JobRequestInput {
  const m = typeof r.model === 'string' ? r.model : model;
  if (!m) throw new UsageError(`${path}:${line}: no model (give --model or a "model" field)`);
  // The server validates the rest and answers 400 with details, recorded as that line's result.
  return { ...r, model: m } as JobRequestInput;
}
