/** Query parameters whose value is a credential, whatever the operation (matched case-insensitively). */
const SECRET_PARAMETER = /^(api[_-]?key|key|token|access[_-]?token|secret|password)$/i;

/** Anything shaped like one of our API keys, wherever it appears in a URL. */
const API_KEY_LIKE = /tg_[A-Za-z0-9_%-]+/g;

const REDACTED = '[redacted]';

function parameterName(pair: string): string {
  const name = pair.split('=', 1)[0];
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/**
 * The URL as it may be logged: the values of credential-named query parameters (`api_key`, `token`, ...)
 * and anything that looks like an API key (`tg_...`) are replaced, whatever the caller sent.
 */
export function redactUrl(url: string): string {
  const queryAt = url.indexOf('?');
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  const query =
    queryAt < 0
      ? ''
      : `?${url
          .slice(queryAt + 1)
          .split('&')
          .map((pair) => (SECRET_PARAMETER.test(parameterName(pair)) ? `${pair.split('=', 1)[0]}=${REDACTED}` : pair))
          .join('&')}`;
  return `${path}${query}`.replace(API_KEY_LIKE, `tg_${REDACTED}`);
}
