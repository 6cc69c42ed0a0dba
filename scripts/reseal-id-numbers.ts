/** `npm run reseal-id-numbers`: re-seal every stored ID number with the active key (after rotating keys). */
import { idCipherKeys, loadConfig } from '../server/src/config';
import { createIdCipher } from '../server/src/identity/id-cipher';
import { resealIdentities } from '../server/src/identity/reseal-identities';
import { connectDatabase, disconnectDatabase } from '../server/src/platform/database';

async function main() {
  const config = loadConfig();
  const cipher = createIdCipher(idCipherKeys(config));
  await connectDatabase(config.MONGODB_URI, config.MONGODB_DB);
  const count = await resealIdentities(cipher);
  console.log(`re-sealed ${count} ID numbers with key "${config.ID_ENCRYPTION_ACTIVE_KEY_ID}"`);
  await disconnectDatabase();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
