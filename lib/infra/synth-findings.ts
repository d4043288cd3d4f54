import { runBudgetMs } from '../../functions/runner/run-budget.ts';
import { formatPath } from '../config/format-issues.ts';
import type { Config } from '../config/load-config.ts';
import { type NotificationsConfig, notifierGrants } from '../notify/registry.ts';

/**
 * What synth refuses or warns about in a config before it is bundled verbatim into the runner's
 * Lambda package: the package (and the Lambda console) can be read by anyone allowed to read the
 * function, so credentials belong in Secrets Manager, and a check that can never finish inside
 * the runner's time budget should be known before it pages as `unknown`.
 */
export interface SynthWarning {
  /** Stable id, for `Annotations.acknowledgeWarning`. */
  readonly id: string;
  readonly message: string;
}

type Path = (string | number)[];

const credentialKey =
  /(password|passwd|secret|token|api[-_]?key|private[-_]?key|credential|authorization|bearer)/i;
const notACredential = /(file|path|id|name|url|header)$/i;
const urlPassword = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:([^/@\s]+)@/i;

const useSecret = 'store it in Secrets Manager and write ${secret:ID} (or ${secret:ID#jsonKey})';

function walk(value: unknown, path: Path, visit: (text: string, path: Path) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      walk(item, [...path, Array.isArray(value) ? Number(key) : key], visit);
    }
  }
}

/**
 * A value made only of a step's captured values (`Bearer {{token}}`), with at most an auth scheme
 * word around them, holds nothing written in the config: the credential arrives at run time.
 */
const onlyCaptured = /^\s*(?:bearer|basic|token)?\s*$/i;

function exposure(text: string): 'literal' | 'env' | undefined {
  if (text.includes('${secret:')) return undefined;
  if (text.includes('{{') && onlyCaptured.test(text.replace(/\{\{[^}]*\}\}/g, '')))
    return undefined;
  return text.includes('${env:') ? 'env' : 'literal';
}

function credentialWarning(path: Path, what: string, text: string): SynthWarning | undefined {
  const kind = exposure(text);
  if (!kind) return undefined;
  return {
    id: 'healthcheck:inlineCredential',
    message:
      kind === 'env'
        ? `${formatPath(path)}: ${what} comes from the runner's environment, which is visible in the template and the Lambda console; ${useSecret}`
        : `${formatPath(path)}: ${what} is written in the config, which is bundled verbatim into the runner's Lambda package; ${useSecret}`,
  };
}

/** Passwords in URLs and literal values of credential-like keys, in checks and notifications. */
export function inlineCredentialWarnings(written: unknown): SynthWarning[] {
  const root = (written ?? {}) as Record<string, unknown>;
  const warnings: SynthWarning[] = [];
  const scan = (value: unknown, base: Path) =>
    walk(value, base, (text, path) => {
      const key = path.at(-1);
      if (formatPath(path) === 'notifications.pagerduty.routingKey') return;
      // `capture: { token: $.access_token }` names where a value is read, not the value.
      if (path.at(-2) === 'capture') return;
      const password = urlPassword.exec(text)?.[1];
      const found =
        password !== undefined
          ? credentialWarning(path, 'a password in the URL', password)
          : typeof key === 'string' && credentialKey.test(key) && !notACredential.test(key)
            ? credentialWarning(path, 'a credential', text)
            : undefined;
      if (found) warnings.push(found);
    });
  scan(root['checks'], ['checks']);
  scan(root['notifications'], ['notifications']);
  return warnings;
}

/**
 * The routing key must come from Secrets Manager: the config is bundled verbatim into the
 * runner's package, and a `${env:}` value would sit in the Lambda's environment, both readable by
 * anyone who can read the function. `viaProp`: the stack was given the secret (`pagerDutySecret`),
 * which the runner reads instead of the config's value, so only a literal there is refused.
 */
export function routingKeyProblem(written: unknown, viaProp: boolean): string | undefined {
  const pagerduty = (
    (written ?? {}) as { notifications?: { pagerduty?: { routingKey?: unknown } } }
  ).notifications?.pagerduty;
  const key = pagerduty?.routingKey;
  if (typeof key !== 'string' || key.includes('${secret:')) return undefined;
  if (viaProp && key.includes('${env:')) return undefined;
  const what = key.includes('${env:')
    ? "from ${env:} would sit in the runner's environment, visible in the template and the Lambda console"
    : "written in the config would be bundled verbatim into the runner's Lambda package";
  return `notifications.pagerduty.routingKey: a routing key ${what}; store it (aws secretsmanager create-secret --name erp/pagerduty --secret-string ...) and write routingKey: \${secret:erp/pagerduty}, or pass -c pagerDutySecret=NAME`;
}

/** Checks that would always be cut off: their own deadline is beyond the runner's budget. */
export function timeoutWarnings(config: Config, runnerTimeoutMs: number): SynthWarning[] {
  const budgetMs = runBudgetMs(runnerTimeoutMs);
  const scheduled = new Set(config.suites.flatMap((suite) => suite.checks));
  const warnings: SynthWarning[] = [];
  config.checks.forEach((check, index) => {
    if (!scheduled.has(check.id) || check.timeoutSeconds * 1000 <= budgetMs) return;
    warnings.push({
      id: 'healthcheck:checkTimeoutBeyondBudget',
      message:
        `checks[${index}] (${check.id}): timeoutSeconds ${check.timeoutSeconds} cannot fit the runner's budget of ` +
        `${Math.floor(budgetMs / 1000)} s per run (timeout ${Math.round(runnerTimeoutMs / 1000)} s minus the margin ` +
        'for recording and alerting), so a slow target is cut off by the run, not by its own deadline; ' +
        'raise -c runnerTimeoutSeconds (at most 900) or lower timeoutSeconds',
    });
  });
  return warnings;
}

const reservedName = /^(AWS_|_|LAMBDA_|HEALTHCHECK_|POWERTOOLS_|PAGERDUTY_)|^NODE_OPTIONS$/;
const credentialName = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

/** Names Lambda or the stack itself sets cannot be overridden by the runner's environment. */
export function runnerEnvironmentProblems(environment: Readonly<Record<string, string>>): string[] {
  return Object.keys(environment)
    .filter((name) => reservedName.test(name))
    .map(
      (name) =>
        `runnerEnvironment ${name}: reserved (Lambda or the stack sets AWS_*, LAMBDA_*, HEALTHCHECK_*, POWERTOOLS_*, PAGERDUTY_* and NODE_OPTIONS)`,
    );
}

export function runnerEnvironmentWarnings(
  environment: Readonly<Record<string, string>>,
): SynthWarning[] {
  return Object.keys(environment)
    .filter((name) => credentialName.test(name))
    .map((name) => ({
      id: 'healthcheck:credentialInEnvironment',
      message: `runnerEnvironment ${name}: looks like a credential, and the runner's environment is visible in the template and the Lambda console; ${useSecret}`,
    }));
}

/**
 * Channels the runner reaches over the internet (PagerDuty), which a VPC-placed runner can reach
 * only through a NAT gateway: VPC endpoints cover AWS APIs, not events.pagerduty.com.
 */
export function internetEgressWarnings(notifications: NotificationsConfig): SynthWarning[] {
  return notifierGrants(notifications).flatMap((grant) =>
    grant.kind === 'internet-egress'
      ? [
          {
            id: 'healthcheck:internetEgressFromVpc',
            message: `the runner delivers to ${grant.to} from the VPC: its subnets need a route to the internet (a NAT gateway); VPC endpoints cover AWS APIs only. Until then those notifications wait in the outbox and the delivery pass retries them`,
          },
        ]
      : [],
  );
}
