import { AsyncResource } from 'node:async_hooks';
import type { RequestHandler } from 'express';
import { Problem } from './problem';

/** How many of one key's requests may run at once, and how many more may wait their turn (0: none wait). */
export type ConcurrencyLimit = { maxInFlight: number; maxWaiting: number };

type KeyQueue = { running: number; waiting: (() => void)[] };

/** A second batch while one runs, or a queue that is full, asks the caller to come back in a second. */
const busy = (what: string) =>
  new Problem('rate_limited', `This API key already has ${what} in progress; retry when it has finished.`, {}, { 'Retry-After': '1' });

/**
 * Bounds how much of the gateway one key's requests take at once, so that another key's requests never
 * wait behind a whole burst of them (in the database's queue, or in PGlite's one connection): past
 * `maxInFlight`, a key's requests wait in its own first-in, first-out queue (up to `maxWaiting`), and past
 * that they are `429 rate_limited`. Requests without a key pass (they need none, or fail authorization).
 * `what` names the requests in the 429's detail.
 */
export function limitConcurrencyPerKey(limit: ConcurrencyLimit, what: string): RequestHandler {
  const queues = new Map<string, KeyQueue>();
  return (req, res, next) => {
    const keyId = req.principal?.keyId;
    if (keyId === undefined) return next();
    const queue = queues.get(keyId) ?? { running: 0, waiting: [] };
    queues.set(keyId, queue);
    const start = () => {
      queue.running++;
      res.once('close', () => {
        queue.running--;
        const nextInLine = queue.waiting.shift();
        if (nextInLine) nextInLine();
        else if (queue.running === 0) queues.delete(keyId);
      });
      // After a turn of the event loop: every request that has arrived meanwhile takes its place in its
      // key's queue first, so that the queues, not the order sockets are read in, decide what runs. (On
      // PGlite a request's queries run in this thread: without the turn each would run to its end at once.)
      setImmediate(next);
    };
    if (queue.running < limit.maxInFlight) return start();
    if (queue.waiting.length >= limit.maxWaiting) return next(busy(what));
    // Started later by another request's end: bound to this request's context (its deadline, its timings).
    const resume = AsyncResource.bind(start);
    queue.waiting.push(resume);
    // A caller that gives up while waiting leaves the queue.
    res.once('close', () => {
      const position = queue.waiting.indexOf(resume);
      if (position >= 0) queue.waiting.splice(position, 1);
    });
  };
}
