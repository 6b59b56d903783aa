import { Router } from 'express';
import type { ApiKeyService, CreateApiKeyRequest } from './api-key-service';
import { apiKeyView, createdApiKeyView } from './api-key-view';

export function apiKeyRoutes(apiKeys: ApiKeyService): Router {
  return Router()
    .post('/v1/api-keys', async (req, res) => {
      const { record, key } = await apiKeys.create(req.body as CreateApiKeyRequest);
      res.status(201).json(createdApiKeyView(record, key));
    })
    .get('/v1/api-keys', async (_req, res) => {
      res.json({ data: (await apiKeys.list()).map(apiKeyView) });
    })
    .delete('/v1/api-keys/:id', async (req, res) => {
      res.json(apiKeyView(await apiKeys.revoke(req.params.id)));
    });
}
