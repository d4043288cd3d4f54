import { HttpRequestError } from './errors.ts';
import { endpointOf, type HttpResponse } from './request.ts';

/**
 * The body as JSON; a body that is not JSON (an HTML error page from a proxy, a truncated answer)
 * fails with kind `protocol`, quoting the start of what came instead.
 */
export function jsonBody(response: HttpResponse): unknown {
  try {
    return JSON.parse(response.text);
  } catch (error) {
    const type = response.headers['content-type'];
    const start = response.text.replace(/\s+/g, ' ').trim().slice(0, 60);
    const why = response.text.trim() === '' ? 'the body is empty' : (error as Error).message;
    throw new HttpRequestError(
      'protocol',
      endpointOf(new URL(response.finalUrl)),
      `body is not JSON (${why}${type ? `; content-type ${type}` : ''})${start ? `: ${start}` : ''}`,
    );
  }
}
