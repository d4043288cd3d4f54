import * as z from 'zod';
import { requireNotAbove } from '../../config/fields.ts';
import {
  defaultMaxBodyBytes,
  httpAuthField,
  httpClientFields,
  httpHeadersField,
  httpUrlProblem,
} from '../../http/index.ts';
import type { CheckConfigFor } from '../plugin.ts';
import { AssertionSchema, regexProblem } from './assertion-config.ts';
import { describeProblem } from './describe-label.ts';
import { statusEntryHelp, statusRange } from './expect-status.ts';
import { jsonPathProblem } from './json-path.ts';
import { captureName, templateReferences } from './templates.ts';

const TextOrList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const QueryScalar = z.union([z.string(), z.number(), z.boolean()]);

/** What a request sends (the check's own request and each step). */
const requestFields = {
  method: z
    .string()
    .regex(/^[A-Za-z]+$/, { message: 'expected an HTTP method such as GET or POST' })
    .optional()
    .describe('GET, or POST when body or json is given'),
  query: z
    .record(z.string(), z.union([QueryScalar, z.array(QueryScalar)]))
    .optional()
    .describe('Query parameters added to the URL'),
  body: z.string().optional().describe('Request body as text'),
  json: z.json().optional().describe('Request body sent as JSON'),
};

/** How its answer is judged. */
const judgeFields = {
  expectStatus: z
    .array(z.union([z.int(), z.string()]))
    .min(1)
    .optional()
    .describe(
      'Accepted statuses: codes (200), classes ("2xx") or ranges ("200-299"); default ["2xx"]',
    ),
  responseTimeMs: z
    .strictObject({
      warning: z.number().positive().optional(),
      critical: z.number().positive().optional(),
    })
    .optional()
    .describe('Thresholds on the total response time, in ms'),
  bodyContains: TextOrList.optional().describe('Text the body must contain'),
  bodyNotContains: TextOrList.optional().describe('Text the body must not contain'),
  bodyMatches: z.string().min(1).optional().describe('Regex the body must match'),
  assertions: z
    .array(AssertionSchema)
    .optional()
    .describe('Checks on the JSON body: {path: $.status, equals: UP}'),
  describe: z
    .string()
    .min(1)
    .optional()
    .describe('Names offending items in summaries: JSONPath (@.name) or text with {JSONPath}'),
};

const tcpUrl = /^tcp:\/\/(\[[^\]]+\]|[^/:]+):(\d+)\/?$/i;

/**
 * A request URL, checked on the field so other problems in the check do not hide it. `{{name}}`
 * (captured) and `${secret:}` parts are checked once filled in.
 */
function requestUrl(allowTcp: boolean) {
  return z
    .string()
    .min(1)
    .superRefine((url, ctx) => {
      if (url.includes('{{') || url.includes('${secret:')) return;
      if (allowTcp && /^tcp:/i.test(url)) {
        const port = Number(tcpUrl.exec(url)?.[2]);
        if (!(port >= 1 && port <= 65535))
          ctx.addIssue({ code: 'custom', message: 'expected tcp://host:port' });
        return;
      }
      const problem = httpUrlProblem(url, allowTcp ? ['http', 'https', 'tcp'] : ['http', 'https']);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

type RequestLike = {
  url: string;
  method?: string | undefined;
  body?: string | undefined;
  json?: unknown;
  expectStatus?: (string | number)[] | undefined;
  responseTimeMs?: { warning?: number | undefined; critical?: number | undefined } | undefined;
  bodyMatches?: string | undefined;
  describe?: string | undefined;
};

function refineRequest(request: RequestLike, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string): void =>
    ctx.addIssue({ code: 'custom', path, message });
  if (request.body !== undefined && request.json !== undefined)
    issue(['json'], 'give body or json, not both');
  const method = request.method?.toUpperCase();
  if (
    (method === 'GET' || method === 'HEAD') &&
    (request.body !== undefined || request.json !== undefined)
  ) {
    issue(['method'], `a ${method} request cannot have a body; use POST or PUT`);
  }
  request.expectStatus?.forEach((entry, i) => {
    if (!statusRange(entry)) issue(['expectStatus', i], statusEntryHelp);
  });
  if (request.responseTimeMs) {
    const { warning, critical } = request.responseTimeMs;
    if (warning === undefined && critical === undefined)
      issue(['responseTimeMs'], 'give warning, critical or both');
    requireNotAbove(
      ctx,
      { path: ['responseTimeMs', 'warning'], value: warning },
      { name: 'responseTimeMs.critical', value: critical },
    );
  }
  if (request.bodyMatches !== undefined) {
    const problem = regexProblem(request.bodyMatches);
    if (problem) issue(['bodyMatches'], problem);
  }
  if (request.describe !== undefined) {
    const problem = describeProblem(request.describe);
    if (problem) issue(['describe'], problem);
  }
}

const StepSchema = z
  .strictObject({
    name: z.string().min(1).optional().describe('Shown in summaries, e.g. login'),
    url: requestUrl(false).describe(
      'http:// or https://; may use {{name}} captured by earlier steps',
    ),
    auth: httpAuthField,
    headers: httpHeadersField,
    ...requestFields,
    ...judgeFields,
    capture: z
      .record(
        z.string().regex(captureName, { message: 'capture names are letters, digits and _' }),
        z.string().min(1),
      )
      .optional()
      .describe('Values for later requests: {token: $.access_token}, used as {{token}}'),
  })
  .superRefine((step, ctx) => {
    refineRequest(step, ctx);
    for (const [name, path] of Object.entries(step.capture ?? {})) {
      const problem = jsonPathProblem(path);
      if (problem) ctx.addIssue({ code: 'custom', path: ['capture', name], message: problem });
    }
  });

export type HttpStep = z.output<typeof StepSchema>;

export const httpFields = {
  url: requestUrl(true).describe(
    'http://, https://, or tcp://host:port to check only that the port accepts connections',
  ),
  ...httpClientFields,
  ...requestFields,
  ...judgeFields,
  followRedirects: z
    .union([z.boolean(), z.int().min(0).max(20)])
    .default(true)
    .describe('Follow redirects: true (at most 5), false, or the most to follow'),
  maxBodyBytes: z
    .int()
    .min(1)
    .max(64 * 1024 * 1024)
    .default(defaultMaxBodyBytes)
    .describe('Body read limit; a larger body makes the check unknown'),
  steps: z
    .array(StepSchema)
    .min(1)
    .max(20)
    .optional()
    .describe('Requests made in order before url (a login); each may capture values for the next'),
};

type HttpFields = z.output<z.ZodObject<typeof httpFields>>;
export type HttpCheckConfig = CheckConfigFor<typeof httpFields>;

/** Fields that mean nothing for a connect-only tcp:// check. */
const httpOnlyFields = [
  'method',
  'query',
  'body',
  'json',
  'auth',
  'headers',
  'ca',
  'expectStatus',
  'bodyContains',
  'bodyNotContains',
  'bodyMatches',
  'assertions',
  'describe',
  'steps',
] as const;

function refineTcp(config: HttpFields, ctx: z.RefinementCtx): void {
  for (const field of httpOnlyFields) {
    if (config[field] !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message: 'only for http:// and https:// URLs, not tcp://',
      });
    }
  }
  if (config.insecure) {
    ctx.addIssue({
      code: 'custom',
      path: ['insecure'],
      message: 'only for https:// URLs, not tcp://',
    });
  }
}

/** The fields where `{{name}}` is filled in with captured values. */
export const templatedFields = ['url', 'headers', 'query', 'body', 'json', 'auth'] as const;

function templated(request: Partial<Record<(typeof templatedFields)[number], unknown>>): unknown {
  return Object.fromEntries(templatedFields.map((field) => [field, request[field]]));
}

/** `{{name}}` must be captured by an earlier step. */
function refineTemplates(config: HttpFields, ctx: z.RefinementCtx): void {
  const captured = new Set<string>();
  const requests = (config.steps ?? []).map((step, i) => {
    const known = new Set(captured);
    for (const name of Object.keys(step.capture ?? {})) captured.add(name);
    return { fields: templated(step), path: ['steps', i] as (string | number)[], known };
  });
  requests.push({ fields: templated(config), path: [], known: captured });
  for (const { fields, path, known } of requests) {
    for (const reference of templateReferences(fields)) {
      if (known.has(reference.name)) continue;
      ctx.addIssue({
        code: 'custom',
        path: [...path, ...reference.path],
        message: `{{${reference.name}}} is not captured by an earlier step (capture: {${reference.name}: $.path})`,
      });
    }
  }
}

export function refineHttpConfig(config: HttpFields, ctx: z.RefinementCtx): void {
  if (/^tcp:/i.test(config.url)) {
    refineTcp(config, ctx);
    return;
  }
  refineRequest(config, ctx);
  refineTemplates(config, ctx);
}

/** Whether the check reads JSON with JSONPath (assertions, describe, capture) anywhere. */
export function usesJsonPath(config: HttpFields): boolean {
  const reads = (request: { assertions?: unknown[] | undefined; describe?: string | undefined }) =>
    (request.assertions?.length ?? 0) > 0 || request.describe !== undefined;
  return (
    reads(config) || (config.steps ?? []).some((step) => reads(step) || step.capture !== undefined)
  );
}
