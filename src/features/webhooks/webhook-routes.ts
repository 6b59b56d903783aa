import { Router } from 'express';
import type { CreateWebhookRequest, WebhookSecretRotation, WebhookService } from './webhook-service';
import { createdWebhookView, rotatedWebhookView, webhookView } from './webhook-view';

export function webhookRoutes(webhooks: WebhookService): Router {
  return Router()
    .post('/v1/webhooks', async (req, res) => {
      const { endpoint, secret } = await webhooks.create(req.body as CreateWebhookRequest);
      res.status(201).json(createdWebhookView(endpoint, secret));
    })
    .get('/v1/webhooks', async (_req, res) => {
      res.json({ data: (await webhooks.list()).map(webhookView) });
    })
    .post('/v1/webhooks/:id/secret', async (req, res) => {
      res.json(rotatedWebhookView(await webhooks.rotateSecret(req.params.id, req.body as WebhookSecretRotation | undefined)));
    })
    .delete('/v1/webhooks/:id', async (req, res) => {
      res.json(webhookView(await webhooks.delete(req.params.id)));
    });
}
