import { Router } from 'express';
import type { ApiKeyRecord } from './api-key-store';
import type { ApiKeyService, CreateApiKeyRequest } from './api-key-service';

const present = (key: ApiKeyRecord) => ({
  id: key.id,
  name: key.name,
  role: key.role,
  partner_id: key.partnerId,
  created_at: key.createdAt,
  revoked_at: key.revokedAt,
});

export function apiKeyRoutes(apiKeys: ApiKeyService): Router {
  return Router()
    .post('/v1/api-keys', async (req, res) => {
      const { record, key } = await apiKeys.create(req.body as CreateApiKeyRequest);
      const { revoked_at: _revokedAt, ...created } = present(record);
      res.status(201).json({ ...created, key });
    })
    .get('/v1/api-keys', async (_req, res) => {
      res.json({ data: (await apiKeys.list()).map(present) });
    })
    .delete('/v1/api-keys/:id', async (req, res) => {
      res.json(present(await apiKeys.revoke(req.params.id)));
    });
}
