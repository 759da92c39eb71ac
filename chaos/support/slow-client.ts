import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';

/**
 * An SSE client that sends its request and then never reads a byte: the
 * kernel buffers fill, and from then on only the server decides what it holds.
 */
export function neverReadingClient(port: number, path: string, key: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\nAccept: text/event-stream\r\n\r\n`,
      );
      s.pause();
      resolve(s);
    });
    s.on('error', reject);
  });
}

/** Resident memory of a process (MB), from /proc. */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

/** Bytes sitting in kernel socket queues on the connections to `port` (both ends), in MB. */
export function kernelQueuedMb(port: number): number {
  const out = execFileSync('ss', ['-tnH', 'state', 'established', `( sport = :${port} or dport = :${port} )`], {
    encoding: 'utf8',
  });
  let bytes = 0;
  for (const line of out.split('\n')) {
    const [recvQ, sendQ] = line.trim().split(/\s+/);
    bytes += (Number(recvQ) || 0) + (Number(sendQ) || 0);
  }
  return bytes / 1024 / 1024;
}
