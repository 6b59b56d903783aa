import { Router } from 'express';
import type { CreateWebhookRequest, WebhookService } from './webhook-service';
import { createdWebhookView, webhookView } from './webhook-view';

export function webhookRoutes(webhooks: WebhookService): Router {
  return Router()
    .post('/v1/webhooks', async (req, res) => {
      const { endpoint, secret } = await webhooks.create(req.body as CreateWebhookRequest);
      res.status(201).json(createdWebhookView(endpoint, secret));
    })
    .get('/v1/webhooks', async (_req, res) => {
      res.json({ data: (await webhooks.list()).map(webhookView) });
    })
    .delete('/v1/webhooks/:id', async (req, res) => {
      res.json(webhookView(await webhooks.delete(req.params.id)));
    });
}
