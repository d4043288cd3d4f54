/**
 * Runs in a fresh Node process per measurement: imports one Lambda bundle, optionally invokes its
 * handler once, and prints `COLD_START {json}` with the timings. Everything it measures happens
 * after Node itself has booted, like Lambda's INIT (module load) and first INVOKE.
 */
import { pathToFileURL } from 'node:url';

const bundle = process.env.BENCH_BUNDLE;
if (!bundle) throw new Error('BENCH_BUNDLE is not set');
const event = process.env.BENCH_EVENT
  ? (JSON.parse(process.env.BENCH_EVENT) as unknown)
  : undefined;

const bootMs = process.uptime() * 1000;
const t0 = performance.now();
const module = (await import(pathToFileURL(bundle).href)) as {
  handler?: (event: unknown, context: unknown) => Promise<unknown>;
};
const importMs = performance.now() - t0;

let invokeMs: number | undefined;
let invokeError: string | undefined;
let outcome: unknown;
if (event !== undefined) {
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'bench',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench',
    memoryLimitInMB: '512',
    awsRequestId: 'bench-request',
    logGroupName: '/aws/lambda/bench',
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => 60_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
  const t1 = performance.now();
  try {
    if (typeof module.handler !== 'function') throw new Error('the bundle exports no handler');
    outcome = await module.handler(event, context);
  } catch (error) {
    invokeError = (error as Error).message;
  }
  invokeMs = performance.now() - t1;
}

const summary =
  outcome && typeof outcome === 'object' && 'status' in outcome
    ? (outcome as { status: unknown }).status
    : undefined;
process.stdout.write(
  `\nCOLD_START ${JSON.stringify({ bootMs, importMs, invokeMs, invokeError, status: summary })}\n`,
  () => process.exit(0),
);
