import { isIP } from 'node:net';
import { bareHostname, isLocalhostName, refusedAddressReason } from './webhook-address';

/**
 * Why a webhook URL cannot be registered, or undefined. What can be told without the network: https
 * (http too with `allowPrivate`), no credentials, and no host that is plainly internal (an internal IP
 * address, `localhost`). Names are resolved, and their addresses checked, each time a webhook is sent.
 */
export function webhookUrlProblem(raw: string, allowPrivate: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a valid URL';
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) return 'must be an https:// URL';
  if (url.username || url.password) return 'must not carry credentials (user:password@): the signature authenticates the gateway';
  if (allowPrivate) return undefined;
  const host = bareHostname(url.hostname);
  if (isLocalhostName(host)) return 'must not point at localhost';
  const reason = isIP(host) ? refusedAddressReason(host) : undefined;
  return reason && `must not point at an internal address (${reason})`;
}
