import { Brigade } from './brigade.model';

/** Every brigade's code and name, by code (the statistics page's rows and labels). */
export async function brigadeNames(): Promise<{ code: string; name: string }[]> {
  return Brigade.find({}, { code: 1, name: 1, _id: 0 }).sort({ code: 1 }).lean();
}
