import * as z from 'zod';
import { commonCheckShape, type NormalizedCommonFields } from '../config/check-common.ts';
import type { CheckOutcome, CheckResult } from '../core/result.ts';
import type { CheckGrant } from './grants.ts';

export interface CheckContext {
  /** Aborted at the check's deadline; plugins pass it to every I/O call. */
  readonly signal: AbortSignal;
  readonly now: Date;
  /**
   * The slot this run stands for (the schedule's time, `run --scheduled-time`), when it has one.
   * Dates a check derives from "today" (a backup's `{yyyyMMdd}`) follow it, not the wall clock.
   */
  readonly scheduledTime?: Date;
  /** The config's IANA time zone (dates in backup names, windows). */
  readonly timezone: string;
  /** The previous recorded result of this check, when a store is available. */
  readonly previous?: CheckResult;
}

export interface CheckModule<Config> {
  run(config: Config, context: CheckContext): Promise<CheckOutcome>;
}

export type Shape = z.core.$ZodLooseShape;

export interface CheckPluginDefinition<Type extends string, Fields extends Shape> {
  readonly type: Type;
  readonly description: string;
  /** Type-specific config fields (the common ones are added for you). */
  readonly fields: Fields;
  /** Cross-field rules, reported with the field's path. */
  readonly refine?: (config: z.output<z.ZodObject<Fields>>, ctx: z.RefinementCtx) => void;
  /** Imports the implementation lazily so the CLI loads only the check types it runs. */
  readonly load: () => Promise<CheckModule<never>>;
  /**
   * Heavy npm packages the implementation imports, each with whether a given config needs it,
   * so Lambda bundles leave out drivers the deployed config never uses.
   */
  readonly packages?: Readonly<Record<string, (config: z.output<z.ZodObject<Fields>>) => boolean>>;
  /**
   * AWS access the deployed runner needs for a given config, granted on its role: S3 prefixes,
   * EKS clusters (lib/checks/grants.ts), or plain IAM actions on resources (`IamGrant`).
   */
  readonly grants?: (config: z.output<z.ZodObject<Fields>>) => readonly CheckGrant[];
  /**
   * How long one run of this type usually takes against a healthy target, in seconds: what
   * splitting a large suite into shards balances (lib/shard/assign-shards.ts). A rough figure is
   * enough; the worst case (every check to its timeout) is bounded separately.
   * @default 1 (defaultExpectedSeconds)
   */
  readonly expectedSeconds?: number;
}

/** A check type's expected duration when its plugin declares none. */
export const defaultExpectedSeconds = 1;

/** One IAM permission a check needs, on resources of the deploying account. */
export interface IamGrant {
  readonly kind?: undefined;
  readonly actions: readonly string[];
  /** ARN parts; the account is the stack's: `arn:aws:<service>:<region>:<account>:<resource>`. */
  readonly resources: readonly {
    readonly service: string;
    readonly region: string;
    readonly resource: string;
  }[];
}

/** The check's fields without its cross-field rules (secret-valued fields are validated later). */
function buildFieldsSchema<Type extends string, Fields extends Shape>(
  definition: CheckPluginDefinition<Type, Fields>,
) {
  return z.strictObject({
    ...commonCheckShape,
    type: z.literal(definition.type),
    ...definition.fields,
  });
}

function buildSchema<Type extends string, Fields extends Shape>(
  definition: CheckPluginDefinition<Type, Fields>,
) {
  const schema = buildFieldsSchema(definition);
  const { refine } = definition;
  if (!refine) return schema;
  return schema.superRefine((value, ctx) =>
    refine(value as unknown as z.output<z.ZodObject<Fields>>, ctx),
  );
}

export function defineCheck<Type extends string, Fields extends Shape>(
  definition: CheckPluginDefinition<Type, Fields>,
) {
  return {
    ...definition,
    schema: buildSchema(definition),
    fieldsSchema: buildFieldsSchema(definition),
  };
}

export type CheckPlugin = ReturnType<typeof defineCheck<string, Shape>>;

/** The config a plugin's `run` receives: its own fields plus normalized common fields. */
export type CheckConfigFor<Fields extends Shape> = z.output<z.ZodObject<Fields>> &
  NormalizedCommonFields;
