import { ConfigError } from '@inferq/core';
import { banner } from './banner';
import { startAll } from './index';

async function main(): Promise<void> {
  const env = process.env;
  try {
    const all = await startAll(env);
    process.stdout.write(
      `${banner({ apiUrl: all.apiUrl.replace('0.0.0.0', '127.0.0.1'), metricsPort: all.metricsPort, dashboardUrl: all.dashboardUrl, dispatcherMetricsPort: all.dispatcherMetricsPort, apiKey: env.INFERQ_DEV_API_KEY, adminToken: env.INFERQ_DEV_ADMIN_TOKEN })}\n`,
    );
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      void all.close().then(() => process.exit(0));
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

void main();
