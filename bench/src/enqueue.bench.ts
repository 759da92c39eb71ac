import { median, sleep, submitLoad } from './load';
import type { LoadResult } from './load';
import type { System, SystemName } from './systems';

export interface EnqueueFigures {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  idleRssMb: number;
  loadRssMb: number;
}

/** Benchmark 1: POST /v1/jobs at 50 connections, systems in turn, several rounds, medians. */
export async function enqueueBench(
  systems: System[],
  rounds: number,
  durationS: number,
): Promise<Record<SystemName, EnqueueFigures>> {
  const runs = new Map<SystemName, LoadResult[]>();
  const rss = new Map<SystemName, { idle: number; load: number }>();
  for (const sys of systems) {
    rss.set(sys.name, { idle: sys.api.rssMb(), load: 0 });
    await submitLoad(sys, { connections: 10, durationS: 1 }); // warm up the JIT and connections
  }
  for (let r = 0; r < rounds; r++) {
    for (const sys of systems) {
      await sleep(500); // let the previous system's backlog drain a little
      let peak = 0;
      const timer = setInterval(() => (peak = Math.max(peak, sys.api.rssMb())), 100);
      const result = await submitLoad(sys, { connections: 50, durationS });
      clearInterval(timer);
      rss.get(sys.name)!.load = Math.max(rss.get(sys.name)!.load, peak);
      runs.set(sys.name, [...(runs.get(sys.name) ?? []), result]);
    }
  }
  const out = {} as Record<SystemName, EnqueueFigures>;
  for (const [name, list] of runs) {
    out[name] = {
      rps: Math.round(median(list.map((x) => x.rps))),
      p50: median(list.map((x) => x.p50)),
      p99: median(list.map((x) => x.p99)),
      non2xx: list.reduce((n, x) => n + x.non2xx, 0),
      idleRssMb: rss.get(name)!.idle,
      loadRssMb: rss.get(name)!.load,
    };
  }
  return out;
}

/** Throughput against in-flight requests (autocannon connections), for the chart. */
export async function curveBench(systems: System[], connections: number[], durationS: number) {
  const points: Array<{ system: SystemName; connections: number; rps: number }> = [];
  for (const c of connections) {
    for (const sys of systems) {
      await sleep(300);
      const r = await submitLoad(sys, { connections: c, durationS });
      points.push({ system: sys.name, connections: c, rps: Math.round(r.rps) });
    }
  }
  return points;
}
