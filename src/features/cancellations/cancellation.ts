import type { components } from '../../generated/openapi';

export type Cancellation = components['schemas']['Cancellation'];
export type CancellationRequest = components['schemas']['CancellationRequest'];
export type CancellationDelivery = components['schemas']['CancellationDelivery'];
