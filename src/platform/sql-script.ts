import type { Knex } from 'knex';

/**
 * Splits a migration script into statements at top-level semicolons (not inside `$$` bodies, quotes or
 * `--` comments):
 * PGlite, unlike a PostgreSQL server, takes one statement per query.
 */
export function splitSqlScript(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  let inDollarBody = false;
  let inQuote = false;
  for (let i = 0; i < script.length; i++) {
    const char = script[i];
    if (!inQuote && script.startsWith('$$', i)) {
      inDollarBody = !inDollarBody;
      current += '$$';
      i++;
      continue;
    }
    if (!inQuote && !inDollarBody && script.startsWith('--', i)) {
      const end = script.indexOf('\n', i);
      i = end === -1 ? script.length : end;
      current += '\n';
      continue;
    }
    if (!inDollarBody && char === "'") inQuote = !inQuote;
    if (char === ';' && !inDollarBody && !inQuote) {
      if (current.trim()) statements.push(current.trim());
      current = '';
      continue;
    }
    current += char;
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}

export async function runSqlScript(knex: Knex, script: string): Promise<void> {
  for (const statement of splitSqlScript(script)) await knex.raw(statement);
}
