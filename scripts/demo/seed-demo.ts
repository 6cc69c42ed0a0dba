import { Brigade } from '../../server/src/brigades/brigade.model';
import { Staff } from '../../server/src/staff/staff.model';
import { createStaff } from '../../server/src/staff/staff.service';
import { DEMO_ACCOUNTS, DEMO_BRIGADES } from './demo-data';

/** Idempotent: creates what is missing and leaves everything else (including changed passwords) alone. */
export async function seedDemoData(hashCost = 12): Promise<{ created: string[] }> {
  if (process.env.NODE_ENV === 'production') throw new Error('refusing to seed demo accounts with public passwords in production');
  const created: string[] = [];
  for (const brigade of DEMO_BRIGADES) {
    const result = await Brigade.updateOne({ code: brigade.code }, { $setOnInsert: { ...brigade, districtAdcodes: [...brigade.districtAdcodes] } }, { upsert: true });
    if (result.upsertedCount) created.push(`brigade ${brigade.code}`);
  }
  for (const account of DEMO_ACCOUNTS) {
    if (await Staff.exists({ username: account.username })) continue;
    await createStaff({ ...account }, hashCost);
    created.push(`account ${account.username}`);
  }
  return { created };
}
