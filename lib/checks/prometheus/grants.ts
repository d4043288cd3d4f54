import type { IamGrant } from '../plugin.ts';
import type { PrometheusCheckConfig } from './config.ts';

/** `.../workspaces/ws-1234abcd-.../` in an Amazon Managed Prometheus query URL. */
const workspacePath = /\/workspaces\/(ws-[A-Za-z0-9-]+)/;

/**
 * Querying an Amazon Managed Prometheus workspace needs `aps:QueryMetrics` on it. Other SigV4
 * services and URLs without a workspace name nothing: the operator grants those by hand.
 */
export function prometheusGrants(
  config: Pick<PrometheusCheckConfig, 'url' | 'auth'>,
): readonly IamGrant[] {
  const auth = config.auth;
  if (!auth || !('awsSigV4' in auth) || (auth.awsSigV4.service ?? 'aps') !== 'aps') return [];
  const workspace = workspacePath.exec(config.url)?.[1];
  if (!workspace) return [];
  return [
    {
      actions: ['aps:QueryMetrics'],
      resources: [
        { service: 'aps', region: auth.awsSigV4.region, resource: `workspace/${workspace}` },
      ],
    },
  ];
}
