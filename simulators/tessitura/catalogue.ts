import { toCents } from '../shared/money';
import { businessError } from './tessitura-error';

/** Performances 1..this exist without being defined (unless removed). */
export const MAX_DEFAULT_PERFORMANCE_ID = 999_999;
/** Seats in any zone of a performance that was not defined explicitly. */
export const DEFAULT_ZONE_CAPACITY = 500;
/** Price of any price type of a performance that was not defined explicitly. */
export const DEFAULT_PRICE = 50;

export interface PerformanceDefinition {
  id: number;
  description?: string;
  /** ISO 8601 with offset. */
  dateTime?: string;
  /** Only these zones exist on the performance. */
  zones: { id: number; capacity: number; description?: string }[];
  /** Only these price types are sold for the performance. */
  priceTypes: { id: number; price: number; description?: string }[];
}

export interface Named {
  id: number;
  description: string;
}

export interface ReservedSeat {
  seatNumber: number;
  priceType: Named;
  priceCents: number;
}

export interface Reservation {
  performance: Named & { dateTime?: string };
  zone: Named;
  seats: ReservedSeat[];
}

export interface PerformanceAvailability {
  performanceId: number;
  known: boolean;
  zones: { zoneId: number; capacity: number; taken: number; available: number }[];
}

interface Zone {
  description: string;
  capacity: number;
}

interface PriceType {
  description: string;
  priceCents: number;
}

interface Performance {
  id: number;
  description: string;
  dateTime?: string;
  /** Absent: any positive zone id exists with the default capacity. */
  zones?: Map<number, Zone>;
  /** Absent: any positive price type id exists at the default price. */
  priceTypes?: Map<number, PriceType>;
  takenSeats: Map<number, Set<number>>;
}

/** Performances, their zones and price types, and which seats are taken (reserved or sold). */
export class Catalogue {
  private performances = new Map<number, Performance>();
  private removed = new Set<number>();

  definePerformance(definition: PerformanceDefinition): void {
    this.removed.delete(definition.id);
    this.performances.set(definition.id, {
      id: definition.id,
      description: definition.description ?? `Performance ${definition.id}`,
      dateTime: definition.dateTime,
      zones: new Map(definition.zones.map((zone) => [zone.id, { capacity: zone.capacity, description: zone.description ?? `Zone ${zone.id}` }])),
      priceTypes: new Map(
        definition.priceTypes.map((type) => [type.id, { priceCents: toCents(type.price), description: type.description ?? `Price type ${type.id}` }]),
      ),
      takenSeats: new Map(),
    });
  }

  /** Makes the performance unknown: reservations for it fail from now on. */
  removePerformance(id: number): void {
    this.performances.delete(id);
    this.removed.add(id);
  }

  availability(performanceId: number): PerformanceAvailability {
    const performance = this.find(performanceId);
    if (!performance) return { performanceId, known: false, zones: [] };
    const zoneIds = new Set([...(performance.zones?.keys() ?? []), ...performance.takenSeats.keys()]);
    return {
      performanceId,
      known: true,
      zones: [...zoneIds].map((zoneId) => {
        const capacity = zoneOf(performance, zoneId)?.capacity ?? 0;
        const taken = performance.takenSeats.get(zoneId)?.size ?? 0;
        return { zoneId, capacity, taken, available: capacity - taken };
      }),
    };
  }

  /** Takes the lowest free seats of the zone, one per price type id given; all or nothing. */
  reserve(performanceId: number, zoneId: number, priceTypeIds: number[]): Reservation {
    const performance = this.find(performanceId);
    if (!performance) {
      throw businessError('TESSITURA_PERFORMANCE_NOT_FOUND', `Performance ${performanceId} does not exist`, 'request.PerformanceId');
    }
    const zone = zoneOf(performance, zoneId);
    if (!zone) {
      throw businessError('TESSITURA_ZONE_NOT_FOUND', `Zone ${zoneId} does not exist for performance ${performanceId}`, 'request.ZoneId');
    }
    const priceTypes = priceTypeIds.map((id) => {
      const priceType = priceTypeOf(performance, id);
      if (!priceType) {
        throw businessError('TESSITURA_PRICE_TYPE_NOT_FOUND', `Price type ${id} is not sold for performance ${performanceId}`, 'request.PriceType');
      }
      return { id, ...priceType };
    });
    const taken = performance.takenSeats.get(zoneId) ?? new Set<number>();
    const free = freeSeats(taken, zone.capacity, priceTypes.length);
    if (free.length < priceTypes.length) {
      throw businessError(
        'TESSITURA_SEATS_NOT_AVAILABLE',
        `Not enough seats available: ${priceTypes.length} requested`,
        'request.NumberOfSeats',
        `Performance ${performanceId}, zone ${zoneId}: ${zone.capacity - taken.size} seats available`,
      );
    }
    free.forEach((seat) => taken.add(seat));
    performance.takenSeats.set(zoneId, taken);
    return {
      performance: { id: performance.id, description: performance.description, dateTime: performance.dateTime },
      zone: { id: zoneId, description: zone.description },
      seats: free.map((seatNumber, index) => {
        const { id, description, priceCents } = priceTypes[index];
        return { seatNumber, priceType: { id, description }, priceCents };
      }),
    };
  }

  release(performanceId: number, zoneId: number, seatNumbers: number[]): void {
    const taken = this.performances.get(performanceId)?.takenSeats.get(zoneId);
    seatNumbers.forEach((seat) => taken?.delete(seat));
  }

  reset(): void {
    this.performances.clear();
    this.removed.clear();
  }

  private find(id: number): Performance | undefined {
    if (this.removed.has(id)) return undefined;
    const known = this.performances.get(id);
    if (known || id < 1 || id > MAX_DEFAULT_PERFORMANCE_ID) return known;
    const created: Performance = { id, description: `Performance ${id}`, takenSeats: new Map() };
    this.performances.set(id, created);
    return created;
  }
}

function zoneOf(performance: Performance, zoneId: number): Zone | undefined {
  if (performance.zones) return performance.zones.get(zoneId);
  return zoneId > 0 ? { capacity: DEFAULT_ZONE_CAPACITY, description: `Zone ${zoneId}` } : undefined;
}

function priceTypeOf(performance: Performance, priceTypeId: number): PriceType | undefined {
  if (performance.priceTypes) return performance.priceTypes.get(priceTypeId);
  return priceTypeId > 0 ? { priceCents: toCents(DEFAULT_PRICE), description: `Price type ${priceTypeId}` } : undefined;
}

function freeSeats(taken: Set<number>, capacity: number, wanted: number): number[] {
  const free: number[] = [];
  for (let seat = 1; seat <= capacity && free.length < wanted; seat += 1) {
    if (!taken.has(seat)) free.push(seat);
  }
  return free;
}
