import express, { type Router } from 'express';
import { AdminInputError } from '../shared/admin-router';
import type { Catalogue, PerformanceDefinition } from './catalogue';

/**
 * /__admin/performances/:id — GET availability, PUT a definition (limited zones, capacities, prices),
 * DELETE to make the performance unknown.
 */
export function catalogueAdminRoutes(catalogue: Catalogue): Router {
  const router = express.Router();
  router.get('/performances/:id', (req, res) => {
    res.json(catalogue.availability(positiveInteger(req.params.id, 'id')));
  });
  router.put('/performances/:id', (req, res) => {
    const id = positiveInteger(req.params.id, 'id');
    catalogue.definePerformance(performanceDefinition(id, req.body));
    res.json(catalogue.availability(id));
  });
  router.delete('/performances/:id', (req, res) => {
    catalogue.removePerformance(positiveInteger(req.params.id, 'id'));
    res.status(204).end();
  });
  return router;
}

function performanceDefinition(id: number, body: unknown): PerformanceDefinition {
  const { description, dateTime, zones, priceTypes } = (body ?? {}) as Record<string, unknown>;
  if (!Array.isArray(zones) || !Array.isArray(priceTypes)) {
    throw new AdminInputError('zones and priceTypes must be arrays');
  }
  return {
    id,
    description: optionalString(description, 'description'),
    dateTime: optionalString(dateTime, 'dateTime'),
    zones: zones.map((zone: Record<string, unknown>) => ({
      id: positiveInteger(zone.id, 'zones[].id'),
      capacity: nonNegative(zone.capacity, 'zones[].capacity', true),
      description: optionalString(zone.description, 'zones[].description'),
    })),
    priceTypes: priceTypes.map((type: Record<string, unknown>) => ({
      id: positiveInteger(type.id, 'priceTypes[].id'),
      price: nonNegative(type.price, 'priceTypes[].price', false),
      description: optionalString(type.description, 'priceTypes[].description'),
    })),
  };
}

function positiveInteger(value: unknown, name: string): number {
  const number = typeof value === 'string' ? Number(value) : value;
  if (!Number.isInteger(number) || (number as number) < 1) throw new AdminInputError(`${name} must be a positive integer`);
  return number as number;
}

function nonNegative(value: unknown, name: string, integer: boolean): number {
  const valid = typeof value === 'number' && value >= 0 && (!integer || Number.isInteger(value));
  if (!valid) throw new AdminInputError(`${name} must be a non-negative ${integer ? 'integer' : 'number'}`);
  return value;
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value !== undefined && typeof value !== 'string') throw new AdminInputError(`${name} must be a string`);
  return value;
}
