/** `auth:` in a check: HTTP basic credentials or a bearer token (values may be `${secret:}`). */
export type HttpAuth =
  | { readonly basic: { readonly username: string; readonly password: string } }
  | { readonly bearer: string };

export function authorizationHeader(auth: HttpAuth): string {
  if ('bearer' in auth) return `Bearer ${auth.bearer}`;
  const { username, password } = auth.basic;
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/**
 * fetch refuses URLs that carry `user:pass@`; they become basic auth instead, and the URL that is
 * requested and reported has no credentials in it.
 */
export function splitCredentials(url: URL): { url: URL; auth?: HttpAuth } {
  if (!url.username && !url.password) return { url };
  const clean = new URL(url);
  clean.username = '';
  clean.password = '';
  return {
    url: clean,
    auth: {
      basic: {
        username: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
      },
    },
  };
}
