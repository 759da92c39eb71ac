import { connect } from 'node:net';

/** One command Redis ran: `source` is `lua` for a command a script ran, else the client's address. */
export interface MonitorLine {
  source: string;
  args: string[];
}

export interface RedisMonitor {
  close(): void;
}

const LINE = /^\+[\d.]+ \[\d+ ([^\]]+)\] (.*)$/;
const ARG = /"((?:[^"\\]|\\.)*)"/g;

/** A MONITOR reply line (`+<time> [<db> <source>] "<cmd>" "<arg>" ...`), or undefined for any other. */
export function parseMonitorLine(line: string): MonitorLine | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  return { source: m[1] ?? '', args: [...(m[2] ?? '').matchAll(ARG)].map((a) => a[1] ?? '') };
}

/**
 * MONITOR over a plain socket, resolved once Redis has answered OK. ioredis's
 * monitor() is not used: it turns its parser to monitor mode a tick after the
 * OK and back to commands on disconnect, so a busy server's lines around
 * either moment break its command queue ("Command queue state error").
 */
export function startMonitor(host: string, port: number, onLine: (line: MonitorLine) => void): Promise<RedisMonitor> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host, () => socket.write('MONITOR\r\n'));
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      const lines = (buffered + chunk).split('\r\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '+OK') resolve({ close: () => socket.destroy() });
        const parsed = parseMonitorLine(line);
        if (parsed) onLine(parsed);
      }
    });
  });
}

/** startMonitor on a redis:// URL's host and port. */
export function startMonitorAt(url: string, onLine: (line: MonitorLine) => void): Promise<RedisMonitor> {
  const { hostname, port } = new URL(url);
  return startMonitor(hostname, Number(port || 6379), onLine);
}
