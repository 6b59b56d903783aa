import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { AdaptiveConcurrencyLimit, type AdaptiveConcurrencySettings } from '../../../downstream/adaptive-concurrency';
import { type BreakerSettings, type BreakerState, TargetBreaker } from '../../../downstream/circuit-breaker';
import type { DownstreamSettings } from '../../../downstream/downstream-settings';
import type { WebhookSettings } from '../../webhooks/webhook-secret-key';
import type { Acknowledgment, ClaimedDelivery, Delivery, Progress, Sale, SendContext } from '../delivery';

export type Sent = { acknowledgment: Acknowledgment; summary: string };
export type DeliverySender = (delivery: ClaimedDelivery, context: SendContext) => Promise<Sent>;

/** A fact a partner is told of (by webhook): its type and what it says. */
export type PartnerEvent = { type: string; data: Record<string, unknown> };

/** What a target may use to connect itself to the world. */
export type TargetRuntime = {
  db: Knex;
  logger: Logger;
  downstream: DownstreamSettings;
  breakerSettings: BreakerSettings;
  /** Webhooks' key and address policy; tests shorten their retry schedule. */
  webhooks: WebhookSettings & { retryDelaysMs?: readonly number[] };
  /** Deliveries sent at once to one downstream system: where its adaptive limit starts, and its most. */
  concurrency: AdaptiveConcurrencySettings;
  /** The breaker of a downstream system, one per name whatever the kinds of delivery sent to it. */
  breaker(name: string): TargetBreaker;
  /** The adaptive limit of a downstream system (one per name, fed by its breaker's calls). */
  concurrencyLimit(name: string): SendLimit;
};

/** How many of a downstream system's deliveries may be in flight now. */
export type SendLimit = { readonly current: number };

/** A target connected to the world: how its deliveries are sent, and the breakers that guard them. */
export type ConnectedTarget = {
  send: DeliverySender;
  /** Deliveries of this downstream system (all its kinds together) a dispatcher sends at once. */
  concurrency: SendLimit;
  /** The breaker guarding this delivery's calls. */
  breakerFor(delivery: ClaimedDelivery): TargetBreaker;
  /** The state staff and metrics see for the whole target (the worst of its breakers). */
  breakerState(): BreakerState;
  onBreakerChange(listener: (state: BreakerState) => void): void;
  /**
   * Its own retry schedule: the wait after `failedAttempts` failures, or undefined when the delivery is
   * dead. Without one, the outbox's backoff and DELIVERY_MAX_ATTEMPTS apply.
   */
  retryDelayMs?(failedAttempts: number): number | undefined;
  /**
   * A sale target's answer for a sale cancelled after an attempt may have recorded it: what it recorded
   * (the delivery is then delivered, and returned), or undefined when nothing was recorded (withdrawn).
   */
  findRecorded?(delivery: ClaimedDelivery, context: SendContext): Promise<Sent | undefined>;
  shutdown(): void;
};

/**
 * A place deliveries go. Everything target-specific lives here, so that the store and the dispatcher
 * know no target by name and adding one is a folder and a line in the registry.
 */
export type DeliveryTarget = {
  /** Its name in the deliveries table, the API (where the `DeliveryTarget` enum lists it) and the metrics. */
  name: Delivery['target'];
  /**
   * What its deliveries do: `sale` (every invoice queues one), `return` (every cancelled sale that this
   * target recorded queues one; it is handed the sale's acknowledgment) or `event` (partner events queue them).
   */
  kind: Delivery['kind'];
  /** Another sale target whose delivery must be delivered first; its acknowledgment is handed over. */
  waitsFor?: Delivery['target'];
  /** What a staff retry keeps of the progress (by default all of it: the retry resumes). */
  progressAfterRetry?(progress: Progress): Progress;
  /** What partners are told when a delivery is delivered, if anything. */
  whenDelivered?(delivery: ClaimedDelivery, acknowledgment: Acknowledgment): PartnerEvent | undefined;
  /** What partners are told when a delivery goes dead, if anything. */
  whenDead?(delivery: ClaimedDelivery): PartnerEvent | undefined;
  /** What partners are told when a sale is withdrawn (cancelled before this target recorded it), if anything. */
  whenWithdrawn?(sale: Pick<Sale, 'global_id' | 'order_id'>): PartnerEvent | undefined;
  connect(runtime: TargetRuntime): ConnectedTarget;
};

/** A target as a running outbox has it: its definition and its connection. */
export type LiveTarget = DeliveryTarget & ConnectedTarget;

/** One target per downstream system (its kinds share its breaker and backlog): what staff and metrics see. */
export const downstreamSystems = (targets: ReadonlyMap<string, LiveTarget>): LiveTarget[] => [
  ...new Map([...targets.values()].map((target) => [target.name, target] as const)).values(),
];

/** How a target of the registry is found: by its name and the kind of its deliveries. */
export const laneOf = (target: Pick<DeliveryTarget, 'name' | 'kind'>): string => `${target.name}/${target.kind}`;

/**
 * Connects every target of the registry, by lane; the kinds of one downstream system share its breaker and
 * its adaptive concurrency limit, which learns from every call through that breaker.
 */
export function connectTargets(
  targets: readonly DeliveryTarget[],
  runtime: Omit<TargetRuntime, 'breaker' | 'concurrencyLimit'>,
): ReadonlyMap<string, LiveTarget> {
  const systems = new Map<string, { breaker: TargetBreaker; limit: AdaptiveConcurrencyLimit }>();
  const system = (name: string) => {
    if (!systems.has(name)) {
      const breaker = new TargetBreaker(name, runtime.logger, runtime.breakerSettings);
      const limit = new AdaptiveConcurrencyLimit(runtime.concurrency);
      breaker.onCallSettled((outcome) => limit.record(outcome));
      logLimitChanges(name, limit, runtime.logger);
      systems.set(name, { breaker, limit });
    }
    return systems.get(name)!;
  };
  const connected = { ...runtime, breaker: (name: string) => system(name).breaker, concurrencyLimit: (name: string) => system(name).limit };
  return new Map(targets.map((target) => [laneOf(target), { ...target, ...target.connect(connected) }]));
}

/** Cuts at info (the target pushed back), growth at debug (a step every limit's worth of calls while it keeps up). */
function logLimitChanges(target: string, limit: AdaptiveConcurrencyLimit, logger: Logger): void {
  let previous = limit.current;
  limit.onChange((current) => {
    logger[current < previous ? 'info' : 'debug']({ target, concurrency_limit: current, previous }, `${target} concurrency limit ${previous} -> ${current}`);
    previous = current;
  });
}
