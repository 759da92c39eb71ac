import type { CodecFigures } from './compression.bench';
import type { BatchFigures } from './batch.bench';
import type { ConcurrencyFigures } from './concurrency.bench';
import type { E2eFigures } from './e2e.bench';
import type { FairnessFigures } from './fairness.bench';
import type { EnqueueFigures } from './enqueue.bench';
import type { LatencyFigures } from './latency.bench';
import type { MemoryRow } from './memory.bench';
import type { StreamingFigures } from './streaming.bench';
import type { SystemName } from './systems';

export interface BenchResults {
  mode: 'quick' | 'full';
  date: string;
  machine: string;
  enqueue: Record<SystemName, EnqueueFigures>;
  curve: Array<{ system: SystemName; connections: number; rps: number }>;
  e2e: Record<SystemName, E2eFigures>;
  latency: LatencyFigures;
  concurrency: ConcurrencyFigures;
  streaming?: StreamingFigures;
  streamingError?: string;
  /** Redis bytes per job by prompt size (issue #19); absent when the phase failed. */
  memory?: MemoryRow[];
  memoryError?: string;
  /** Which Redis the memory figures come from. */
  memoryRedis?: string;
  /** Payload codecs: size and CPU per KB (issue #19). */
  compression?: CodecFigures[];
  batch?: BatchFigures;
  batchError?: string;
  /** Fair scheduling (issue #13): quiet tenant's wait beside FIFO, tokens against weights, the scheduler's Redis bill. */
  fairness?: FairnessFigures;
  fairnessError?: string;
}
