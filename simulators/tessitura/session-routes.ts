import express, { type Router } from 'express';
import { sessionOf, type OperationSteps } from './api-steps';
import { readBody } from './body-fields';
import type { CartService } from './cart-service';
import { SESSION_REQUEST, SET_CONSTITUENT_REQUEST } from './request-fields';
import type { SessionStore } from './session-store';
import { constituentSummary, sessionView } from './views';

export function sessionRoutes(sessions: SessionStore, cart: CartService, steps: OperationSteps): Router {
  const router = express.Router();

  router.post('/Web/Session', ...steps('createSession'), (req, res) => {
    const request = readBody(req.body, SESSION_REQUEST, []);
    const session = sessions.create({ businessUnitId: request.BusinessUnitId, organization: request.Organization });
    res.json({ SessionKey: session.key });
  });

  router.get('/Web/Session/:sessionKey', ...steps('getSession'), (req, res) => {
    res.json(sessionView(sessionOf(sessions, req)));
  });

  router.put('/Web/Session/:sessionKey/Constituents', ...steps('setConstituent'), (req, res) => {
    const session = sessionOf(sessions, req);
    const request = readBody(req.body, SET_CONSTITUENT_REQUEST, ['ConstituentId']);
    cart.setConstituent(session, request.ConstituentId);
    const { Id, DisplayName } = constituentSummary(request.ConstituentId);
    res.json([{ Id, DisplayName }]);
  });

  return router;
}
