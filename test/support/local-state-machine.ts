import type { Template } from 'aws-cdk-lib/assertions';

/**
 * The synthesized state machine's definition as Step Functions would see it: the template's
 * `DefinitionString` join, with every token (function ARNs) replaced by a placeholder Lambda ARN.
 * The tasks are then bound to local handlers by state name.
 */
export function synthesizedDefinition(template: Template): Record<string, unknown> {
  const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  if (machines.length !== 1)
    throw new Error(`expected one state machine, found ${machines.length}`);
  const join = (machines[0] as { Properties: { DefinitionString: unknown } }).Properties
    .DefinitionString as { 'Fn::Join': [string, unknown[]] };
  const text = join['Fn::Join'][1]
    .map((part) =>
      typeof part === 'string'
        ? part
        : 'arn:aws:lambda:ap-southeast-1:123456789012:function:runner',
    )
    .join('');
  return JSON.parse(text) as Record<string, unknown>;
}

/** An HTTP server on 127.0.0.1: `/ok` answers 200 at once, `/hang` never answers. */
export async function startHangingTargets(): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/hang')) return; // held open until the check's deadline
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as import('node:net').AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
