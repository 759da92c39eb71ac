import { ConfigError } from '@inferq/core';
import { loadWorkerConfig, startWorker } from './index';

async function main(): Promise<void> {
  let config;
  try {
    config = loadWorkerConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const worker = await startWorker(config);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void worker.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
