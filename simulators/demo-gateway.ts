import '../src/tracing';
import { runGateway } from '../src/gateway-process';
import { runMain } from '../src/runtime';
import { configuredOrSimulatedDownstream } from './simulated-downstream';
import { startDemoWebhooks } from './webhook-sink/demo-webhooks';

// The local demo sends the demo partner's webhooks to a sink on loopback: allowed unless said otherwise
// (and never in production, where a simulator never runs).
if (process.env.NODE_ENV !== 'production') process.env.WEBHOOK_ALLOW_PRIVATE_URLS ??= 'true';

/**
 * `npm start`: the gateway, with a local simulator for each downstream system left unconfigured and a
 * webhook sink for the demo partner (not in production).
 */
runMain(() => runGateway(configuredOrSimulatedDownstream, process.env.NODE_ENV === 'production' ? undefined : startDemoWebhooks));
