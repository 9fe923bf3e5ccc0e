/** The single `sql` factory: every module that talks to Postgres gets its instance from here. */
import postgres from 'postgres';

export type Sql = postgres.Sql<Record<string, never>>;
export type Tx = postgres.TransactionSql<Record<string, never>>;

/** Creates a pool with camelCase column mapping (house style) and quiet notices. */
export function createSql(url: string, opts: { max?: number } = {}): Sql {
  return postgres(url, {
    max: opts.max ?? 10,
    transform: postgres.camel,
    onnotice: () => {},
    types: {
      // Keep numerics as numbers: scores are small decimals, never beyond double precision.
      numeric: { to: 1700, from: [1700], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
    },
  }) as unknown as Sql;
}
