import type { ApiKeyRecord } from './api-key-store';

/** An API key as the API and the CLI show it: never the key, nor its hash. */
export const apiKeyView = (key: ApiKeyRecord) => ({
  id: key.id,
  name: key.name,
  role: key.role,
  partner_id: key.partnerId,
  created_at: key.createdAt,
  revoked_at: key.revokedAt,
});

/** A key just created: the one time its secret is shown. */
export const createdApiKeyView = (key: ApiKeyRecord, secret: string) => {
  const { revoked_at: _revokedAt, ...created } = apiKeyView(key);
  return { ...created, key: secret };
};
