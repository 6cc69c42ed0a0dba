/**
 * `npm run audit:verify`: walks the audit chain of the database in MONGODB_URI, then every case's own
 * chain of state changes, and says whether every entry is unaltered and none is missing (exit 1 with
 * the first entry or case event that does not hold).
 */
import { loadConfig } from '../server/src/config';
import { connectDatabase, disconnectDatabase } from '../server/src/platform/database';
import { verifyAllCaseEvents } from '../server/src/cases';
import { verifyAuditChain } from '../server/src/platform/audit/audit';

async function main() {
  const config = loadConfig();
  await connectDatabase(config.MONGODB_URI, config.MONGODB_DB);
  const result = await verifyAuditChain();
  if (result.ok) console.log(`audit chain holds: ${result.checked} entries checked`);
  else console.error(`audit chain broken at entry ${result.problem!.seq}: ${result.problem!.reason} (${result.checked} entries before it hold)`);
  const cases = await verifyAllCaseEvents();
  await disconnectDatabase();
  if (!cases.broken) console.log(`case event chains hold: ${cases.cases} cases, ${cases.checked} events checked, ${cases.unchained} from before the chain`);
  else console.error(`case ${cases.broken.caseId}: event ${cases.broken.problem.rev} ${cases.broken.problem.reason}`);
  process.exit(result.ok && !cases.broken ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(2);
});
