import type { BrigadeAdminView } from '../../../typings/api/brigades';
import { AppError, notFound } from '../platform/errors';
import { isDuplicateKey } from '../platform/database';
import { Staff } from '../staff';
import { Brigade } from './brigade.model';
import { DISTRICTS } from './districts';
import { sharedReads } from '../platform/cache/shared-reads';
import type { PubSub } from '../platform/pubsub/pubsub';

interface BrigadeInput {
  name: string;
  districtAdcodes: string[];
  dutyPhone: string | null;
}

/** A district routes to exactly one brigade: two claiming it would make the queue ambiguous. */
async function assertDistrictsFree(districtAdcodes: string[], exceptCode: string | null) {
  const taken = await Brigade.findOne({ districtAdcodes: { $in: districtAdcodes }, ...(exceptCode ? { code: { $ne: exceptCode } } : {}) }).lean();
  if (taken) {
    const adcode = taken.districtAdcodes.find((a) => districtAdcodes.includes(a));
    // Named as ops know it (蓬江区), the code beside it.
    const name = DISTRICTS.find((d) => d.adcode === adcode)?.name;
    throw new AppError(409, 'DISTRICT_TAKEN', `${name ? `${name}（${adcode}）` : `区县 ${adcode}`}已由「${taken.name}」负责，请先从该大队移除`);
  }
}

export async function listBrigades(): Promise<BrigadeAdminView[]> {
  const [brigades, staff] = await Promise.all([Brigade.find().sort({ code: 1 }).lean(), Staff.find({ role: { $in: ['dispatcher', 'officer'] } }).sort({ username: 1 }).lean()]);
  return brigades.map((b) => toView(b, staff));
}

export async function createBrigade(input: BrigadeInput & { code: string }, pubsub: PubSub): Promise<BrigadeAdminView> {
  await assertDistrictsFree(input.districtAdcodes, null);
  try {
    const created = await Brigade.create(input);
    await brigadeChanged(input.code, pubsub);
    return toView(created.toObject(), []);
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError(409, 'CONFLICT', `大队编码 ${input.code} 已存在`);
    throw err;
  }
}

export async function updateBrigade(code: string, input: BrigadeInput, pubsub: PubSub): Promise<BrigadeAdminView> {
  await assertDistrictsFree(input.districtAdcodes, code);
  const updated = await Brigade.findOneAndUpdate({ code }, { $set: input }, { returnDocument: 'after' }).lean();
  if (!updated) throw notFound('大队不存在');
  await brigadeChanged(code, pubsub);
  return toView(updated, await Staff.find({ brigadeCode: code, role: { $in: ['dispatcher', 'officer'] } }).lean());
}

type BrigadeDoc = { code: string; name: string; districtAdcodes: string[]; dutyPhone?: string | null; updatedAt?: Date };
type StaffDoc = { _id: unknown; username: string; displayName: string; role: string; disabled: boolean; brigadeCode?: string | null };

function toView(b: BrigadeDoc, staff: StaffDoc[]): BrigadeAdminView {
  return {
    code: b.code,
    name: b.name,
    districtAdcodes: b.districtAdcodes,
    dutyPhone: b.dutyPhone ?? null,
    staff: staff
      .filter((s) => s.brigadeCode === b.code)
      .map((s) => ({ id: String(s._id), username: s.username, displayName: s.displayName, role: s.role as 'dispatcher' | 'officer', disabled: s.disabled })),
    updatedAt: (b.updatedAt ?? new Date(0)).toISOString(),
  };
}

type BrigadeRecord = NonNullable<Awaited<ReturnType<typeof readBrigade>>>;
const readBrigade = (code: string) => Brigade.findOne({ code }).lean();

/**
 * Per process: brigades as read lately. Every phone poll and console queue read looks its brigade up,
 * and ops edit a brigade a few times a year: a read is shared for BRIGADE_KEEP_MS, and an edit is
 * heard at once here and through pub/sub on the other instances (a resync clears all).
 */
const BRIGADE_KEEP_MS = 30_000;
const BRIGADES_TOPIC = 'brigades-changed';
const lookups = sharedReads<BrigadeRecord | null>({ keepMs: BRIGADE_KEEP_MS, maxKeys: 1000 });

async function brigadeChanged(code: string, pubsub: PubSub) {
  lookups.forget(code);
  await pubsub.publish(BRIGADES_TOPIC, { code });
}

/** Wired once per process: a hint names one brigade; anything else (a resync after an outage) clears all. */
export function listenForBrigadeChanges(pubsub: PubSub): () => void {
  return pubsub.subscribe(BRIGADES_TOPIC, (message) => {
    const code = (message as { code?: unknown } | null)?.code;
    lookups.forget(typeof code === 'string' ? code : undefined);
  });
}

/** The brigade as stored, null when there is none (shared with other callers: read it, do not change it). */
export function findBrigade(code: string): Promise<BrigadeRecord | null> {
  return lookups.read(code, () => readBrigade(code));
}

/** The brigade that answers for a district (each district has at most one: assertDistrictsFree). */
export function brigadeForDistrict(adcode: string) {
  return Brigade.findOne({ districtAdcodes: adcode }).lean();
}

export async function brigadeExists(code: string): Promise<boolean> {
  return (await Brigade.exists({ code })) !== null;
}
