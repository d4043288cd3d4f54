/**
 * A config with one suite of `checks` HTTP checks (each its own host, so only the run's
 * concurrency limits them) plus a small suite, as YAML: what the sharding tests synthesize.
 */
export function largeSuiteConfig(
  checks: number,
  options: { url?: (i: number) => string; timeoutSeconds?: number; extra?: string } = {},
): string {
  const url = options.url ?? ((i: number) => `https://svc-${i}.internal.example/health`);
  const ids = Array.from({ length: checks }, (_, i) => `svc-${String(i).padStart(5, '0')}`);
  const lines = [
    'timezone: Asia/Ho_Chi_Minh',
    options.extra ?? '',
    'suites:',
    '  - id: fleet',
    '    schedule: "rate(15 minutes)"',
    `    checks: [${ids.join(', ')}]`,
    '  - id: morning',
    '    schedule: "cron(0 8 * * ? *)"',
    '    checks: [root-disk]',
    'checks:',
    '  - id: root-disk',
    '    type: disk',
    '    paths: [/]',
    ...ids.flatMap((id, i) => [
      `  - id: ${id}`,
      '    type: http',
      `    url: "${url(i)}"`,
      ...(options.timeoutSeconds ? [`    timeoutSeconds: ${options.timeoutSeconds}`] : []),
    ]),
    'notifications:',
    '  email: [oncall@example.vn]',
  ];
  return `${lines.join('\n')}\n`;
}
