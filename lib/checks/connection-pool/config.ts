import { z } from 'zod';
import { Percent, requireNotAbove } from '../../config/fields.ts';
import type { CheckConfigFor } from '../plugin.ts';

export const poolEngines = ['postgres', 'mysql', 'redis'] as const;
export type PoolEngine = (typeof poolEngines)[number];

/** URL schemes each engine accepts; checked on the prefix only, since `${secret:..}` is still unresolved. */
export const engineSchemes: Record<PoolEngine, readonly string[]> = {
  postgres: ['postgres', 'postgresql'],
  mysql: ['mysql', 'mariadb'],
  redis: ['redis', 'rediss'],
};

const ConnectionCount = z.int().min(1);

export const connectionPoolFields = {
  engine: z
    .enum(poolEngines)
    .describe('postgres (also CockroachDB), mysql (also MariaDB) or redis'),
  url: z
    .string()
    .min(1)
    .describe(
      'postgres://user:${secret:ID}@host:5432/db, mysql://..., redis:// or rediss:// (TLS); credentials never reach results',
    ),
  warningPercent: Percent.default(70).describe("Used % of the server's limit at which to warn"),
  criticalPercent: Percent.default(90).describe("Used % of the server's limit that is critical"),
  maxConnections: z
    .strictObject({
      warning: ConnectionCount.optional().describe('Connections in use at which to warn'),
      critical: ConnectionCount.optional().describe('Connections in use that are critical'),
    })
    .optional()
    .describe('Absolute thresholds, checked besides the percentages (runbook: "< 50 connections")'),
  memoryWarningPercent: Percent.optional().describe(
    'Redis: used_memory as % of maxmemory at which to warn (off if unset; an LRU cache near 100% is normal)',
  ),
  memoryCriticalPercent: Percent.optional().describe(
    'Redis: used_memory as % of maxmemory that is critical (off if unset)',
  ),
  tls: z
    .union([
      z.boolean(),
      z.strictObject({
        ca: z
          .string()
          .min(1)
          .optional()
          .describe('PEM text, or a path to a PEM file, trusted besides the system store'),
        rejectUnauthorized: z.boolean().default(true),
        servername: z.string().min(1).optional().describe('SNI and name to verify (default host)'),
      }),
    ])
    .optional()
    .describe('TLS to the server; also enabled by rediss:// or postgres sslmode=require/verify-*'),
};

export type ConnectionPoolCheckConfig = CheckConfigFor<typeof connectionPoolFields>;

export function refineConnectionPoolConfig(
  config: z.output<z.ZodObject<typeof connectionPoolFields>>,
  ctx: z.RefinementCtx,
): void {
  requireNotAbove(
    ctx,
    { path: ['warningPercent'], value: config.warningPercent },
    { name: 'criticalPercent', value: config.criticalPercent },
  );
  requireNotAbove(
    ctx,
    { path: ['maxConnections', 'warning'], value: config.maxConnections?.warning },
    { name: 'maxConnections.critical', value: config.maxConnections?.critical },
  );
  requireNotAbove(
    ctx,
    { path: ['memoryWarningPercent'], value: config.memoryWarningPercent },
    { name: 'memoryCriticalPercent', value: config.memoryCriticalPercent },
  );
  if (config.engine !== 'redis') {
    for (const field of ['memoryWarningPercent', 'memoryCriticalPercent'] as const) {
      if (config[field] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: 'only applies to engine redis' });
      }
    }
  }
  const schemes = engineSchemes[config.engine];
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(config.url)?.[1]?.toLowerCase();
  // The message never repeats the URL: it may hold a password.
  if (!scheme || !schemes.includes(scheme)) {
    ctx.addIssue({
      code: 'custom',
      path: ['url'],
      message: `must start with ${schemes.map((s) => `${s}://`).join(' or ')} for engine ${config.engine}`,
    });
  }
}
