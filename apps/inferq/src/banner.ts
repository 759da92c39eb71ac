/** What npm start prints once everything listens: the key, the URLs and a first request. */
export function banner(o: {
  apiUrl: string;
  metricsPort: number;
  dashboardUrl?: string;
  dispatcherMetricsPort?: number;
  apiKey?: string;
  adminToken?: string;
}): string {
  const key = o.apiKey ?? '<one of your API_KEYS>';
  const lines = [
    '',
    'inferq is running',
    `  API          ${o.apiUrl}`,
    `  worker       http://127.0.0.1:${o.metricsPort}/healthz`,
    o.dispatcherMetricsPort
      ? `  webhooks     http://127.0.0.1:${o.dispatcherMetricsPort}/healthz   (dispatcher; WEBHOOK_ALLOW_HOSTS=127.0.0.1 for a local receiver)`
      : '',
    o.dashboardUrl
      ? `  dashboard    ${o.dashboardUrl}/admin/queues   (any user name, the admin token as password)`
      : '',
    `  metrics      ${o.apiUrl}/metrics, http://127.0.0.1:${o.metricsPort}/metrics`,
    `  docs         ${o.apiUrl}/docs   (Swagger UI over ${o.apiUrl}/openapi.json)`,
    o.apiKey
      ? `  dev API key  ${o.apiKey}   (tenant "dev", kept in .data/dev-credentials.json)`
      : '  API keys     from API_KEYS',
    o.adminToken ? `  admin token  ${o.adminToken}` : '',
    '',
    'Try it:',
    `  curl -s ${o.apiUrl}/v1/jobs -H "Authorization: Bearer ${key}" -H 'Content-Type: application/json' \\`,
    `    -d '{"model":"sim/echo","input":{"prompt":"Hello from inferq"}}'`,
    `  curl -s "${o.apiUrl}/v1/jobs/<id>?wait=10" -H "Authorization: Bearer ${key}"`,
    `  INFERQ_URL=${o.apiUrl} INFERQ_API_KEY=${key} node packages/cli/dist/main.js submit --model sim/echo --stream "Hello from inferq"`,
    '',
  ];
  return lines.filter((l, i) => l !== '' || i === 0 || lines[i - 1] !== '').join('\n');
}
