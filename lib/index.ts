export { defineConfig } from './config/define-config.ts';
export type { CheckConfig, Config } from './config/load-config.ts';
export { loadConfigFile, parseConfig, parseConfigText } from './config/load-config.ts';
export type { ConfigInput } from './config/schema.ts';
export type { CheckOutcome, CheckResult } from './core/result.ts';
export type { RunReport } from './core/run-report.ts';
export type { Status } from './core/status.ts';
