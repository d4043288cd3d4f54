export { HealthChecker } from './health-checker.ts';
export type {
  HealthCheckerProps,
  HealthCheckerSharding,
  HealthCheckerVpcPlacement,
} from './health-checker-props.ts';
export { HealthCheckerStack, type HealthCheckerStackProps } from './health-checker-stack.ts';
