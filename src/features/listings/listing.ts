import type { components } from '../../generated/openapi';

export type ListingInput = components['schemas']['ListingInput'];
export type Listing = components['schemas']['Listing'];
export type ListingWrite = ListingInput & { remote_id: string };
export type ListingPage = components['schemas']['ListingPage'];
