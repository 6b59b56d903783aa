import express, { type Router } from 'express';
import { sessionOf, type OperationSteps } from './api-steps';
import { readBody } from './body-fields';
import type { CartService } from './cart-service';
import { BUSINESS_FACING_SESSION_REQUEST, SESSION_INFO, SESSION_REQUEST, SET_CONSTITUENT_REQUEST } from './request-fields';
import type { SessionStore } from './session-store';
import { constituentSummary, sessionView } from './views';

/** What a web customer's session sells under until its cart properties say otherwise. */
const WEB_SALE_PROPERTIES = { ModeOfSaleId: 1, SourceId: 1 };

export function sessionRoutes(sessions: SessionStore, cart: CartService, steps: OperationSteps): Router {
  const router = express.Router();

  router.post('/Web/Session', ...steps('createSession'), (req, res) => {
    const request = readBody(req.body, SESSION_REQUEST, []);
    const session = sessions.create({
      businessUnitId: request.BusinessUnitId,
      organization: request.Organization,
      businessFacing: false,
      properties: { ...WEB_SALE_PROPERTIES },
    });
    res.json({ SessionKey: session.key });
  });

  // "A source number and mode of sale must be supplied": the mode of sale here, the source number as the
  // promotion code (Tessitura's promotion codes are source numbers) or later in the cart properties.
  router.post('/Web/Session/BusinessFacing', ...steps('createBusinessFacingSession'), (req, res) => {
    const request = readBody(req.body, BUSINESS_FACING_SESSION_REQUEST, ['SessionInfo']);
    const info = readBody(request.SessionInfo, SESSION_INFO, ['ModeOfSaleId'], 'request.SessionInfo');
    const session = sessions.create({
      businessUnitId: request.BusinessUnit,
      organization: request.Organization,
      businessFacing: true,
      properties: { ModeOfSaleId: info.ModeOfSaleId, SourceId: info.PromotionCode },
    });
    res.json({ SessionKey: session.key });
  });

  router.get('/Web/Session/:sessionKey', ...steps('getSession'), (req, res) => {
    const session = sessionOf(sessions, req);
    cart.observe(session);
    res.json(sessionView(session));
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
