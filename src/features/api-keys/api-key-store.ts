import type { Knex } from 'knex';
import { actorOf, type Role } from '../../platform/principal';

const TABLE = 'api_keys';

export type ApiKeyRecord = {
  id: string;
  name: string;
  role: Role;
  partnerId: string | null;
  keyHash: string;
  createdAt: Date;
  revokedAt: Date | null;
};

type ApiKeyRow = {
  id: string;
  name: string;
  role: Role;
  partner_id: string | null;
  key_hash: string;
  created_at: Date;
  revoked_at: Date | null;
};

const toRecord = (row: ApiKeyRow): ApiKeyRecord => ({
  id: row.id,
  name: row.name,
  role: row.role,
  partnerId: row.partner_id,
  keyHash: row.key_hash,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

export type NewApiKey = { name: string; role: Role; partnerId: string | null; keyHash: string };

export class ApiKeyStore {
  constructor(private readonly db: Knex) {}

  on(trx: Knex.Transaction): ApiKeyStore {
    return new ApiKeyStore(trx);
  }

  /** Serialises key changes that must see a stable set of admin keys (bootstrap, revocation). */
  async lockKeyChanges(): Promise<void> {
    await this.db.raw("SELECT pg_advisory_xact_lock(hashtext('ticket-gateway:api-keys'))");
  }

  async insert(key: NewApiKey): Promise<ApiKeyRecord> {
    const [row] = await this.db<ApiKeyRow>(TABLE)
      .insert({ name: key.name, role: key.role, partner_id: key.partnerId, key_hash: key.keyHash })
      .returning('*');
    return toRecord(row as ApiKeyRow);
  }

  async findActiveByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.db<ApiKeyRow>(TABLE).where({ key_hash: keyHash }).whereNull('revoked_at').first();
    return row && toRecord(row);
  }

  async existsWithHash(keyHash: string): Promise<boolean> {
    return (await this.db<ApiKeyRow>(TABLE).where({ key_hash: keyHash }).first()) !== undefined;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows = await this.db<ApiKeyRow>(TABLE).orderBy([{ column: 'created_at', order: 'desc' }, 'id']);
    return rows.map(toRecord);
  }

  async find(id: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.db<ApiKeyRow>(TABLE).where({ id }).first();
    return row && toRecord(row);
  }

  /** How the ledger and delivery history name each key the partner ever had (revoked ones too). */
  async actorsOfPartner(partnerId: string): Promise<string[]> {
    const rows = await this.db<ApiKeyRow>(TABLE).select('id', 'name').where({ partner_id: partnerId });
    return rows.map((row) => actorOf(row.id, row.name));
  }

  /** Whether a key (revoked or not) was ever made for this partner: partners are known by their keys. */
  async knowsPartner(partnerId: string): Promise<boolean> {
    return (await this.db<ApiKeyRow>(TABLE).first('id').where({ partner_id: partnerId })) !== undefined;
  }

  async countActiveAdmins(): Promise<number> {
    const [{ count }] = await this.db(TABLE).where({ role: 'admin' }).whereNull('revoked_at').count({ count: '*' });
    return Number(count);
  }

  async revoke(id: string): Promise<ApiKeyRecord> {
    const [row] = await this.db<ApiKeyRow>(TABLE)
      .where({ id })
      .update({ revoked_at: this.db.raw('coalesce(revoked_at, now())') as unknown as Date })
      .returning('*');
    return toRecord(row as ApiKeyRow);
  }
}
