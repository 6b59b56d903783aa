import './tracing';
import { configuredDownstream } from './downstream/downstream-settings';
import { runGateway } from './gateway-process';
import { runMain } from './runtime';

/** The gateway as deployed (the image's command): the venue's real Tessitura and SalesVu, never simulators. */
runMain(() => runGateway(configuredDownstream));
