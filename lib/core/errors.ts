/** A bad config file: every problem is one line, `path: message`. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[], source?: string) {
    const where = source ? `${source}: ` : '';
    super(`${where}invalid configuration\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Wrong command-line usage (exit 64). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A `${secret:ID}` reference that could not be resolved. */
export class SecretResolutionError extends Error {
  constructor(id: string, reason: string) {
    super(`secret "${id}" could not be resolved: ${reason}`);
    this.name = 'SecretResolutionError';
  }
}

/** A check exceeded its deadline (per-check timeout or the run's budget). */
export class CheckTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckTimeoutError';
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
