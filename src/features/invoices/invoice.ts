import type { components } from '../../generated/openapi';

export type Invoice = components['schemas']['Invoice'];
export type InvoiceRequest = components['schemas']['InvoiceRequest'];
export type Customer = components['schemas']['Customer'];
export type DeliverySummary = components['schemas']['DeliverySummary'];
