/**
 * `npm run audit:verify`: walks the audit trail of DATABASE_URL and checks its hash chain.
 * Prints the number of rows checked and exits 0 when the chain holds; names the first broken row
 * and exits 1 when it does not; exits 2 when it cannot check (no DATABASE_URL, no database).
 */
import { verifyAuditChain } from '../db/audit';
import { createSql } from '../db/sql';

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('audit:verify needs DATABASE_URL (the database the API and the worker use).');
    return 2;
  }
  const sql = createSql(url, { max: 1 });
  try {
    const { rows, broken } = await verifyAuditChain(sql);
    if (!broken) {
      console.log(`audit chain holds: ${rows} rows checked`);
      return 0;
    }
    const why =
      broken.problem === 'content'
        ? 'its content no longer gives its stored hash: the row was changed'
        : `it does not follow the row before it (expected previous hash ${broken.expectedPrev}, stored ${broken.storedPrev}): a row before it was removed, inserted or re-hashed`;
    console.error(
      `audit chain broken at row ${broken.id} (${broken.dedupeKey}): ${why}; ${rows - 1} rows before it hold`,
    );
    return 1;
  } catch (err) {
    console.error(`audit:verify could not check the chain: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

process.exitCode = await main();
