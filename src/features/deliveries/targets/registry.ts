import type { DeliveryTarget } from './delivery-target';
import { salesVuReturnTarget } from './salesvu/salesvu-return-target';
import { salesVuTarget } from './salesvu/salesvu-target';
import { tessituraReturnTarget } from './tessitura/tessitura-return-target';
import { tessituraTarget } from './tessitura/tessitura-target';
import { webhookTarget } from './webhook/webhook-target';

/** Every place deliveries go and what they do there, sale targets in the order a sale is sent. Adding one is a line here. */
export const DELIVERY_TARGETS: readonly DeliveryTarget[] = [tessituraTarget, salesVuTarget, tessituraReturnTarget, salesVuReturnTarget, webhookTarget];
