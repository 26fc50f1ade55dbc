// The access token a signed-in user pastes (a bearer JWT from the character app's login), kept for this tab
// only. With none, the page relies on the service's single-user development mode (docs/auth.md).
const STORAGE_KEY = 'charsheet.accessToken';

export function accessToken(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function setAccessToken(token: string | null): void {
  if (token) sessionStorage.setItem(STORAGE_KEY, token);
  else sessionStorage.removeItem(STORAGE_KEY);
}

/** Headers for HTTP requests, and the same names as graphql-ws connection_init params. */
export function authHeaders(): Record<string, string> {
  const token = accessToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}
