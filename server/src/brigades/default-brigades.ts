import { Brigade } from './brigade.model';

/**
 * One brigade per Jiangmen district (adcodes as in server/data/jiangmen-districts.geojson), created on
 * first start so every district routes somewhere; ops then edit names, districts and duty phones.
 */
export const DEFAULT_BRIGADES = [
  { code: 'JM-PJ', name: '江门市公安局交通警察支队蓬江大队', districtAdcodes: ['440703'] },
  { code: 'JM-JH', name: '江门市公安局交通警察支队江海大队', districtAdcodes: ['440704'] },
  { code: 'JM-XH', name: '江门市公安局交通警察支队新会大队', districtAdcodes: ['440705'] },
  { code: 'JM-TS', name: '台山市公安局交通警察大队', districtAdcodes: ['440781'] },
  { code: 'JM-KP', name: '开平市公安局交通警察大队', districtAdcodes: ['440783'] },
  { code: 'JM-HS', name: '鹤山市公安局交通警察大队', districtAdcodes: ['440784'] },
  { code: 'JM-EP', name: '恩平市公安局交通警察大队', districtAdcodes: ['440785'] },
] as const;

/** Only on an empty collection: never overwrites what ops changed. Safe to run on every instance. */
export async function ensureDefaultBrigades(): Promise<number> {
  if ((await Brigade.estimatedDocumentCount()) > 0) return 0;
  let created = 0;
  for (const brigade of DEFAULT_BRIGADES) {
    const result = await Brigade.updateOne({ code: brigade.code }, { $setOnInsert: { ...brigade, districtAdcodes: [...brigade.districtAdcodes] } }, { upsert: true }).catch((err: unknown) => {
      // Another instance starting at the same moment inserted it.
      if ((err as { code?: number }).code === 11000) return { upsertedCount: 0 };
      throw err;
    });
    created += result.upsertedCount;
  }
  return created;
}
