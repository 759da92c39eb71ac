import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NotFoundError } from '@inferq/core';
import type { HandlerContext } from '../route';
import type { StreamResult } from '../stream-result';

/**
 * GET /docs and GET /docs/{asset}: Swagger UI from the installed
 * swagger-ui-dist files, never a CDN, so the docs work offline and under
 * helmet's CSP (scripts only from 'self', hence no inline script).
 */
const UI_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>inferq API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="stylesheet" href="/docs/index.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-initializer.js"></script>
</body>
</html>
`;

// validatorUrl null: the default badge would call validator.swagger.io.
const INITIALIZER = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
};
`;

/** The files the page loads: name -> content type. Anything else is 404. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-initializer.js': 'text/javascript; charset=utf-8',
};

const cache = new Map<string, string>();

function assetText(name: string): string {
  if (name === 'swagger-initializer.js') return INITIALIZER;
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(join(UI_DIR, name), 'utf8');
    cache.set(name, text);
  }
  return text;
}

function send(contentType: string, text: string): StreamResult {
  return {
    status: 200,
    headers: { 'Content-Type': contentType, 'Cache-Control': 'public, max-age=3600' },
    async stream(out) {
      if (!out.write(text)) await out.drained();
    },
  };
}

export async function docsPageHandler(): Promise<StreamResult> {
  return send('text/html; charset=utf-8', PAGE);
}

export async function docsAssetHandler(ctx: HandlerContext<{ asset: string }>): Promise<StreamResult> {
  const type = ASSETS[ctx.params.asset];
  if (!type) throw new NotFoundError(`no docs asset ${ctx.params.asset}`);
  return send(type, assetText(ctx.params.asset));
}
