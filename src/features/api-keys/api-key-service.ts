import type { Knex } from 'knex';
import { LRUCache } from 'lru-cache';
import { Problem } from '../../platform/problem';
import { actorOf, type Principal, type Role } from '../../platform/principal';
import { generateApiKey, hashApiKey } from './api-key-secret';
import { type ApiKeyRecord, type ApiKeyStore } from './api-key-store';

/** How long another process may keep accepting a key after it was revoked elsewhere. */
export const KEY_CACHE_TTL_MS = 5_000;
const KEY_CACHE_SIZE = 10_000;

export type CreateApiKeyRequest = { name: string; role: Role; partner_id?: string };
export type CreatedApiKey = { record: ApiKeyRecord; key: string };
export type AdminKeyBootstrap =
  | { outcome: 'exists' }
  /** An admin key exists and `ADMIN_API_KEY` is not an active admin key: it was not used. */
  | { outcome: 'environment-key-ignored' }
  | { outcome: 'from-environment' }
  | { outcome: 'generated'; key: string };

const principalOf = (record: ApiKeyRecord): Principal => ({
  keyId: record.id,
  name: record.name,
  role: record.role,
  partnerId: record.partnerId,
  actor: actorOf(record.id, record.name),
});

export class ApiKeyService {
  /** Valid keys by hash. */
  private readonly principals = new LRUCache<string, Principal>({ max: KEY_CACHE_SIZE, ttl: KEY_CACHE_TTL_MS });
  /**
   * Unknown key hashes, remembered apart so that a flood of made-up keys can never push valid keys out;
   * as short-lived, so that a key created in another process works within as long.
   */
  private readonly unknownKeys = new LRUCache<string, true>({ max: KEY_CACHE_SIZE, ttl: KEY_CACHE_TTL_MS });

  constructor(
    private readonly db: Knex,
    private readonly keys: ApiKeyStore,
  ) {}

  async authenticate(rawKey: string): Promise<Principal | null> {
    const keyHash = hashApiKey(rawKey);
    const cached = this.principals.get(keyHash);
    if (cached) return cached;
    if (this.unknownKeys.has(keyHash)) return null;
    const record = await this.keys.findActiveByHash(keyHash);
    if (!record) {
      this.unknownKeys.set(keyHash, true);
      return null;
    }
    const principal = principalOf(record);
    this.principals.set(keyHash, principal);
    return principal;
  }

  /** The key's principal when the cache knows it to be valid; no database lookup. */
  cachedPrincipal(rawKey: string): Principal | undefined {
    return this.principals.get(hashApiKey(rawKey));
  }

  async create(request: CreateApiKeyRequest): Promise<CreatedApiKey> {
    const key = generateApiKey();
    const record = await this.keys.insert({
      name: request.name,
      role: request.role,
      partnerId: request.partner_id ?? null,
      keyHash: hashApiKey(key),
    });
    return { record, key };
  }

  list(): Promise<ApiKeyRecord[]> {
    return this.keys.list();
  }

  async revoke(id: string): Promise<ApiKeyRecord> {
    const revoked = await this.db.transaction(async (trx) => {
      const keys = this.keys.on(trx);
      await keys.lockKeyChanges();
      const key = await keys.find(id);
      if (!key) throw new Problem('api_key_not_found', `No API key has id ${id}.`);
      if (key.role === 'admin' && key.revokedAt === null && (await keys.countActiveAdmins()) === 1) {
        throw new Problem('last_admin_key', 'Revoking the last active admin key would lock every operator out.');
      }
      return keys.revoke(id);
    });
    this.principals.delete(revoked.keyHash);
    return revoked;
  }

  /**
   * Makes sure an operator can get in: with no active admin key, `ADMIN_API_KEY` becomes one, or else a
   * new key is generated for the caller to show once. A revoked `ADMIN_API_KEY` is never revived. With
   * an active admin key, an `ADMIN_API_KEY` that is not one (by its hash) is reported as ignored.
   */
  async ensureAdminKey(adminApiKey: string | undefined): Promise<AdminKeyBootstrap> {
    return this.db.transaction(async (trx) => {
      const keys = this.keys.on(trx);
      await keys.lockKeyChanges();
      if ((await keys.countActiveAdmins()) > 0) {
        if (adminApiKey === undefined) return { outcome: 'exists' };
        const current = await keys.findActiveByHash(hashApiKey(adminApiKey));
        return current?.role === 'admin' ? { outcome: 'exists' } : { outcome: 'environment-key-ignored' };
      }
      if (adminApiKey !== undefined && !(await keys.existsWithHash(hashApiKey(adminApiKey)))) {
        await keys.insert({ name: 'bootstrap-admin', role: 'admin', partnerId: null, keyHash: hashApiKey(adminApiKey) });
        return { outcome: 'from-environment' };
      }
      const key = generateApiKey();
      await keys.insert({ name: 'bootstrap-admin', role: 'admin', partnerId: null, keyHash: hashApiKey(key) });
      return { outcome: 'generated', key };
    });
  }
}
