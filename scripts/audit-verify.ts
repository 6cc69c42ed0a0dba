/**
 * `npm run audit:verify`: walks the audit chain of the database in MONGODB_URI and says whether every
 * entry is unaltered and none is missing (exit 1 with the first entry that does not hold).
 */
import { loadConfig } from '../server/src/config';
import { connectDatabase, disconnectDatabase } from '../server/src/platform/database';
import { verifyAuditChain } from '../server/src/platform/audit/audit';

async function main() {
  const config = loadConfig();
  await connectDatabase(config.MONGODB_URI, config.MONGODB_DB);
  const result = await verifyAuditChain();
  await disconnectDatabase();
  if (result.ok) console.log(`audit chain holds: ${result.checked} entries checked`);
  else console.error(`audit chain broken at entry ${result.problem!.seq}: ${result.problem!.reason} (${result.checked} entries before it hold)`);
  process.exit(result.ok ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(2);
});
