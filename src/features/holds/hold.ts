import type { components } from '../../generated/openapi';

export type Hold = components['schemas']['Hold'];
export type HoldStatus = components['schemas']['HoldStatus'];
export type HoldRequest = components['schemas']['HoldRequest'];
export type HoldDetail = components['schemas']['HoldDetail'];
