import { CaLoadError, loadExtraCas as loadCas } from '../../shared/trust-store.ts';
import { TlsEndpointError } from './endpoint-error.ts';

export { secureContextTrusting } from '../../shared/trust-store.ts';

/** The `ca` field's certificates; a bad `ca` makes the check `unknown` like an unreachable endpoint. */
export async function loadExtraCas(ca: string, signal: AbortSignal): Promise<string[]> {
  try {
    return await loadCas(ca, signal);
  } catch (error) {
    if (error instanceof CaLoadError) throw new TlsEndpointError(error.message);
    throw error;
  }
}
