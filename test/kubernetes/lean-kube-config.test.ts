/**
 * The kubeconfig ways in that the lean client handles itself (exec plugins, token files, relative
 * CA paths, merged $KUBECONFIG files), against the fake API server with its bearer-token check,
 * and that it never loads client-node's generated API models to do so.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectCluster } from '../../lib/kubernetes/connect.ts';
import { LeanKubeConfig } from '../../lib/kubernetes/lean-kube-config.ts';
import { kubePod, startFakeKubeApi } from '../support/fake-kube-api.ts';
import { repoRoot } from '../support/run-cli.ts';

const now = new Date('2026-11-22T01:00:00.000Z');
const api = await startFakeKubeApi({ pods: [kubePod({ now, name: 'web-1', namespace: 'prod' })] });
const dir = await mkdtemp(join(tmpdir(), 'healthcheck-kubeconfig-'));
afterAll(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

async function kubeconfig(name: string, user: string[], cluster: string[] = []): Promise<string> {
  const file = join(dir, name);
  await writeFile(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '  - name: fake',
      '    cluster:',
      `      server: ${api.url}`,
      ...(cluster.length > 0
        ? cluster
        : [`      certificate-authority-data: ${Buffer.from(api.caPem).toString('base64')}`]),
      'users:',
      '  - name: someone',
      '    user:',
      ...user,
      'contexts:',
      '  - name: fake',
      '    context: {cluster: fake, user: someone}',
      'current-context: fake',
      '',
    ].join('\n'),
  );
  return file;
}

async function podNames(file: string): Promise<string[]> {
  const client = await connectCluster({ kubeconfig: file }, AbortSignal.timeout(10_000));
  const names: string[] = [];
  for await (const page of client.podPages({ pageSize: 50 }, AbortSignal.timeout(10_000))) {
    names.push(...page.map((p) => (p as { metadata: { name: string } }).metadata.name));
  }
  return names;
}

describe('lean kubeconfig', () => {
  it('an exec credential plugin supplies the token (as kubectl runs aws/gke/kubelogin plugins)', async () => {
    const credential = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      kind: 'ExecCredential',
      status: { token: api.token },
    });
    const file = await kubeconfig('exec', [
      '      exec:',
      '        apiVersion: client.authentication.k8s.io/v1beta1',
      `        command: ${process.execPath}`,
      '        args: ["-e", "process.stdout.write(process.env.CREDENTIAL)"]',
      `        env: [{name: CREDENTIAL, value: ${JSON.stringify(credential)}}]`,
    ]);
    expect(await podNames(file)).toEqual(['web-1']);
  });

  it('a token file and a CA file relative to the kubeconfig', async () => {
    await writeFile(join(dir, 'token'), api.token);
    await writeFile(join(dir, 'ca.pem'), api.caPem);
    const file = await kubeconfig(
      'files',
      [`      token-file: ${join(dir, 'token')}`],
      ['      certificate-authority: ca.pem'],
    );
    expect(await podNames(file)).toEqual(['web-1']);
  });

  it('a wrong token is the 401 explanation, not a crash', async () => {
    const file = await kubeconfig('wrong', ['      token: not-the-token']);
    await expect(podNames(file)).rejects.toThrow(/unauthorized: .* rejected the credentials/);
  });

  it('merges $KUBECONFIG files, the first one choosing the context', async () => {
    const first = join(dir, 'first');
    await writeFile(first, 'apiVersion: v1\nkind: Config\ncurrent-context: fake\n');
    const second = await kubeconfig('second', ['      token: x']);
    const saved = process.env['KUBECONFIG'];
    process.env['KUBECONFIG'] = `${first}:${second}`;
    try {
      const kc = new LeanKubeConfig();
      kc.loadFromDefault();
      expect(kc.getCurrentCluster()?.server).toBe(api.url);
      expect(kc.getContexts().map((c) => c.name)).toEqual(['fake']);
    } finally {
      if (saved === undefined) delete process.env['KUBECONFIG'];
      else process.env['KUBECONFIG'] = saved;
    }
  });

  it("the pods check's code loads none of client-node's generated API models", () => {
    // Every module the check's code imports, recorded by a resolve hook in a fresh process.
    const probe = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { registerHooks } from 'node:module';
         const urls = [];
         registerHooks({ resolve: (s, c, next) => { const r = next(s, c); urls.push(r.url); return r; } });
         await import(${JSON.stringify(join(repoRoot, 'lib/checks/kubernetes-pods/run.ts'))});
         process.stdout.write(JSON.stringify(urls));`,
      ],
      { encoding: 'utf8' },
    );
    expect(probe.stderr).toBe('');
    const urls = JSON.parse(probe.stdout) as string[];
    expect(urls.some((u) => u.includes('/client-node/dist/exec_auth.js'))).toBe(true);
    expect(urls.filter((u) => u.includes('/client-node/dist/gen/'))).toEqual([]);
    expect(urls.filter((u) => u.endsWith('/client-node/dist/index.js'))).toEqual([]);
  });
});
