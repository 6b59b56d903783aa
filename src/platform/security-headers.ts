import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** The pages' policy: everything from the gateway itself, never framed, no plugins. */
const PAGE_DIRECTIVES = {
  defaultSrc: ["'self'"],
  baseUri: ["'none'"],
  objectSrc: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  imgSrc: ["'self'", 'data:'],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  // The gateway may be reached over plain http (a laptop, a private network): no forced upgrade.
  upgradeInsecureRequests: null,
};

/**
 * helmet's headers for a browser page: a Content-Security-Policy that admits only the gateway's own
 * scripts, styles and images (no inline script or style attribute: Swagger UI and the console set styles
 * through the DOM, which CSP allows), `frame-ancestors 'none'` (and `X-Frame-Options: DENY` for older
 * browsers), `nosniff`, `Referrer-Policy: no-referrer`.
 */
export function pageSecurityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: PAGE_DIRECTIVES },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}

/** helmet's other headers, which API answers do not carry: each one off. */
const NO_OTHER_HEADERS = {
  crossOriginEmbedderPolicy: false,
  crossOriginOpenerPolicy: false,
  crossOriginResourcePolicy: false,
  originAgentCluster: false,
  strictTransportSecurity: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: false,
  xPermittedCrossDomainPolicies: false,
  xPoweredBy: false,
  xXssProtection: false,
} as const;

/**
 * API answers (JSON, problem+json, metrics text): `nosniff`, a CSP that lets nothing load or frame them
 * should a browser render one, no referrer, and `Cache-Control: no-store`, since answers carry holds,
 * keys and customer data that no cache on the way may keep. One helmet middleware for its three headers
 * (rather than one per header): every request passes here, and each Express layer costs it a step.
 */
export function apiSecurityHeaders(): RequestHandler[] {
  return [
    helmet({
      ...NO_OTHER_HEADERS,
      xContentTypeOptions: true,
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      referrerPolicy: { policy: 'no-referrer' },
    }),
    (_req, res, next) => {
      res.setHeader('Cache-Control', 'no-store');
      next();
    },
  ];
}
