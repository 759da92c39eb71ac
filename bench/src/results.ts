import type { BatchFigures } from './batch.bench';
import type { ConcurrencyFigures } from './concurrency.bench';
import type { E2eFigures } from './e2e.bench';
import type { EnqueueFigures } from './enqueue.bench';
import type { LatencyFigures } from './latency.bench';
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
  batch?: BatchFigures;
  batchError?: string;
}
