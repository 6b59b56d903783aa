import { decodeCursor, encodeCursor } from '../../platform/cursor';
import { componentRef, schemaCheck } from '../../platform/openapi-document';
import type { OperationQuery } from '../../platform/operation-query';
import type { Principal } from '../../platform/principal';
import type { Hold } from './hold';
import { partnerScope } from './hold-service';
import type { HoldFilter, HoldPosition, HoldStore } from './hold-store';

export type HoldSearchQuery = OperationQuery<'searchHolds', 'limit'>;

/** What a `HoldPosition` must look like in a cursor: created_at as a Timestamp, and an Id. */
const checkPosition = schemaCheck({ type: 'array', items: [componentRef('Timestamp'), componentRef('Id')], minItems: 2, maxItems: 2 });

const pick = (hold: Hold, fields: (keyof Hold)[] | undefined): Partial<Hold> =>
  fields ? Object.fromEntries(fields.map((field) => [field, hold[field]])) : hold;

/** The box office's hold search; a partner's search is confined to its own holds. */
export class HoldSearchService {
  constructor(private readonly holds: HoldStore) {}

  async search(query: HoldSearchQuery, principal: Principal): Promise<{ data: Partial<Hold>[]; next_cursor: string | null }> {
    const scope = partnerScope(principal);
    const filter: HoldFilter = {
      status: query.status,
      remoteId: query.remote_id,
      partnerId: query.partner_id,
      eventId: query.event_id,
      createdFrom: query.created_from,
      createdTo: query.created_to,
    };
    // A partner naming another partner's id gets nothing rather than an error that would confirm it.
    if (scope !== null && filter.partnerId !== undefined && filter.partnerId !== scope) return { data: [], next_cursor: null };
    if (scope !== null) filter.partnerId = scope;
    const after = query.cursor === undefined ? undefined : decodeCursor<HoldPosition>(query.cursor, filter, checkPosition);
    const rows = await this.holds.search(filter, after, query.limit + 1);
    const page = rows.slice(0, query.limit);
    return {
      data: page.map((row) => pick(row.hold, query.fields)),
      next_cursor: rows.length > query.limit ? encodeCursor(page[page.length - 1].position, filter) : null,
    };
  }
}
