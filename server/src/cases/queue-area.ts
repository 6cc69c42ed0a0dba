import type { QueueAreaResponse } from '../../../typings/api/cases';
import { DISTRICTS, findBrigade } from '../brigades';

/** The districts a brigade answers for (null: the whole city), as the queue's map draws them. */
export async function queueArea(brigadeCode: string | null): Promise<QueueAreaResponse> {
  const brigade = brigadeCode ? await findBrigade(brigadeCode) : null;
  const adcodes = brigade ? new Set(brigade.districtAdcodes) : null;
  const features = DISTRICTS.filter((d) => !adcodes || adcodes.has(d.adcode)).map((d) => ({
    type: 'Feature' as const,
    geometry: d.area.geometry,
    properties: { adcode: d.adcode, name: d.name },
  }));
  return { brigade: brigade ? { code: brigade.code, name: brigade.name } : null, area: { type: 'FeatureCollection', features } };
}
