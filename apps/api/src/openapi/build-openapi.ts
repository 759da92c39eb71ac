import type { Route } from '../route';
import { componentSchemas, toSchema } from './components';
import type { JsonSchema } from './components';
import { errorCodesOf, errorResponses } from './error-responses';
import type { ResponseDoc, RouteDoc } from './route-doc';
import { SPEC_ROUTE_DOCS } from './spec-route-docs';

/** What the generator needs of a route: exactly what the adapter mounts. */
export type DocumentedRoute = Pick<Route, 'method' | 'path' | 'auth' | 'schemas' | 'doc' | 'errorStyle'>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown> };
}

export interface Operation {
  operationId: string;
  summary?: string;
  description?: string;
  tags: string[];
  security: Array<Record<string, string[]>>;
  parameters: Array<Record<string, unknown>>;
  requestBody?: Record<string, unknown>;
  responses: Record<string, unknown>;
}

const DESCRIPTION =
  'Queue-backed asynchronous LLM inference jobs. Submit a job, then poll, long-poll (`?wait=N`), stream ' +
  '(SSE) or receive a signed webhook. Every `/v1` route needs `Authorization: Bearer <API key>`; admin ' +
  'routes take the ADMIN_TOKEN instead. Every error answers the ErrorBody schema: a stable `code`, a ' +
  '`message` and, for validation errors, `details` naming each bad field; the OpenAI-compatible routes ' +
  "(`/v1/chat/completions`, `/v1/models`) answer OpenAI's OpenAIErrorBody instead, same codes and statuses.";

/** The OpenAPI 3.1 document of a route table: paths from the routes, schemas from their zod schemas. */
export function buildOpenApiDocument(routes: readonly DocumentedRoute[], version = '0.1.0'): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'inferq', version, description: DESCRIPTION },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'A tenant API key (API_KEYS or the admin API).' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'The operator token (ADMIN_TOKEN).' },
      },
    },
  };
}

export function docOf(route: DocumentedRoute): RouteDoc {
  return route.doc ?? SPEC_ROUTE_DOCS[`${route.method} ${route.path}`] ?? {};
}

function operationOf(route: DocumentedRoute): Operation {
  const doc = docOf(route);
  const params = propertiesOf(route.schemas.params);
  const query = propertiesOf(route.schemas.query);
  const body = route.schemas.body;
  const codes = errorCodesOf({
    auth: route.auth,
    hasParams: params.length > 0,
    hasQuery: query.length > 0,
    hasBody: body !== undefined,
    extra: doc.errors,
  });
  const success = doc.responses ?? { 200: { description: 'OK' } };
  return {
    operationId: operationId(route),
    ...(doc.summary ? { summary: doc.summary } : {}),
    ...(doc.description ? { description: doc.description } : {}),
    tags: doc.tags ?? [tagOf(route.path)],
    security: route.auth === 'none' ? [] : [{ [route.auth === 'admin' ? 'adminToken' : 'apiKey']: [] }],
    parameters: [
      ...params.map((p) => ({ name: p.name, in: 'path', required: true, schema: p.schema })),
      ...query.map((p) => ({ name: p.name, in: 'query', required: p.required, schema: p.schema })),
      ...Object.entries(doc.requestHeaders ?? {}).map(([name, description]) => ({
        name,
        in: 'header',
        required: false,
        description,
        schema: { type: 'string' },
      })),
    ],
    ...(body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: toSchema(body, 'input'), ...examplesOf(doc.requestExamples) } },
          },
        }
      : doc.rawRequestBody
        ? {
            requestBody: {
              required: true,
              content: { [doc.rawRequestBody.contentType]: { schema: doc.rawRequestBody.schema } },
            },
          }
        : {}),
    responses: { ...successResponses(success), ...errorResponses(codes, route.errorStyle) },
  };
}

function successResponses(responses: Record<number, ResponseDoc>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(responses)) {
    const media = r.schema ? { schema: toSchema(r.schema, 'output') } : {};
    const hasContent = r.schema !== undefined || r.contentType !== undefined || r.example !== undefined;
    out[status] = {
      description: r.description,
      ...(r.headers ? { headers: mapValues(r.headers, (d) => ({ description: d, schema: { type: 'string' } })) } : {}),
      ...(hasContent
        ? {
            content: {
              [r.contentType ?? 'application/json']: withExample(media, r.example),
              ...mapValues(r.alternatives ?? {}, (alt) => withExample({}, alt.example)),
            },
          }
        : {}),
    };
  }
  return out;
}

interface Property {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

/** The top-level properties of an object schema (what params and query are). */
function propertiesOf(schema: DocumentedRoute['schemas']['params']): Property[] {
  const json = toSchema(schema, 'input');
  const props = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({ name, required: required.has(name), schema: s }));
}

function withExample(media: Record<string, unknown>, example: unknown): Record<string, unknown> {
  return example === undefined ? media : { ...media, example };
}

function examplesOf(examples: Record<string, unknown> | undefined): Record<string, unknown> {
  return examples ? { examples: mapValues(examples, (value) => ({ value })) } : {};
}

function mapValues<T, U>(o: Record<string, T>, f: (v: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}

/** `GET /v1/jobs/{id}` -> `get_v1_jobs_id`: stable, unique per method and path. */
function operationId(route: DocumentedRoute): string {
  const slug = route.path
    .replace(/[{}]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  return `${route.method.toLowerCase()}_${slug || 'root'}`;
}

/** `/v1/jobs/...` -> `jobs`; routes outside /v1 are operations. */
function tagOf(path: string): string {
  const m = /^\/v1\/([^/{]+)/.exec(path);
  return m?.[1] ?? 'operations';
}
