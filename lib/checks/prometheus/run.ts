import { errorMessage } from '../../core/errors.ts';
import type { CheckOutcome } from '../../core/result.ts';
import { PrometheusQueryError } from '../../prometheus/errors.ts';
import { instantQuery, instantSamples } from '../../prometheus/query-client.ts';
import { type AwsCredentialsProvider, defaultAwsCredentials } from '../../shared/aws-signing.ts';
import type { CheckContext } from '../plugin.ts';
import type { PrometheusCheckConfig } from './config.ts';
import { evaluateSeries, previousFailing } from './evaluate-series.ts';

export interface PrometheusDeps {
  readonly awsCredentials: (region: string) => AwsCredentialsProvider;
}

/** Prometheus stops evaluating at 90% of timeoutSeconds, so its own timeout error arrives first. */
const serverShare = 0.9;
/**
 * The request gives up at 95%: the check then reports it itself, keeping the failing series for
 * `recover`, instead of the engine's bare timeout at 100%.
 */
const clientShare = 0.95;

/** The check with AWS credentials injected (tests sign with fixed ones). */
export function createRun(deps: PrometheusDeps = { awsCredentials: defaultAwsCredentials }) {
  return async (config: PrometheusCheckConfig, context: CheckContext): Promise<CheckOutcome> => {
    const before = previousFailing(context.previous);
    const deadlineMs = config.timeoutSeconds * 1000;
    try {
      const answer = await instantQuery(
        {
          url: config.url,
          auth: config.auth,
          headers: config.headers,
          ca: config.ca,
          insecure: config.insecure,
          awsCredentials: deps.awsCredentials,
        },
        config.query,
        context.signal,
        { serverTimeoutMs: deadlineMs * serverShare, requestTimeoutMs: deadlineMs * clientShare },
      );
      const samples = instantSamples(answer.data);
      return evaluateSeries(samples, config, before, {
        query: config.query,
        resultType: answer.data.resultType,
        ...(answer.warnings.length > 0 ? { warnings: answer.warnings.slice(0, 10) } : {}),
      });
    } catch (error) {
      if (!(error instanceof PrometheusQueryError)) throw error;
      return {
        status: 'unknown',
        summary: errorMessage(error),
        // Failing series stay remembered, so one unanswered run does not reset `recover`.
        details: { query: config.query, failing: Object.fromEntries(before) },
      };
    }
  };
}

export const run = createRun();
