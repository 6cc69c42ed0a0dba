import type { Context } from 'koa';
import type { z } from 'zod';
import { Driver } from '../drivers';
import { AppError } from '../platform/errors';
import { checkIdNumber } from './id-number';
import { checkIdValidity } from './id-validity';
import { shanghaiToday } from '../platform/time';
import { DriverIdentity, VerifiedPerson } from './identity.model';
import type { saveProfileSchema } from './schemas';
import { recordAttempt } from './verification-attempt.model';

/**
 * Step one of every path: name, ID number, phone and the accepted agreement. The number is checked
 * (GB 11643) and refused when another WeChat user has already been verified as that person.
 */
export async function saveProfile(ctx: Context, driverId: string, input: z.infer<typeof saveProfileSchema>): Promise<void> {
  const { config, idCipher } = ctx.services;
  const refuse = async (status: number, code: 'VALIDATION_FAILED' | 'AGREEMENT_OUTDATED' | 'ALREADY_VERIFIED' | 'ID_ALREADY_VERIFIED', message: string, field?: string) => {
    await recordAttempt({ driverId, path: 'profile', result: 'refused', code, reason: message });
    return new AppError(status, code, message, field ? { issues: [{ path: field, message }] } : {});
  };

  if (input.agreementVersion !== config.AGREEMENT_VERSION) {
    throw await refuse(409, 'AGREEMENT_OUTDATED', '用户协议已更新，请重新阅读并同意');
  }
  const id = checkIdNumber(input.idNumber);
  if (!id.ok) throw await refuse(400, 'VALIDATION_FAILED', id.message, 'idNumber');
  if (input.idValidity) {
    const validity = checkIdValidity(input.idValidity, id.birthDate, shanghaiToday());
    if (!validity.ok) throw await refuse(400, 'VALIDATION_FAILED', validity.message, `idValidity.${validity.field}`);
  }

  const driver = await Driver.findById(driverId).lean();
  if (driver?.verification === 'verified') throw await refuse(409, 'ALREADY_VERIFIED', '您已完成实人认证，无需重复认证');

  const idHash = idCipher.lookupHash(id.idNumber);
  const holder = await VerifiedPerson.findOne({ idHash }).lean();
  if (holder && String(holder.driverId) !== driverId) {
    throw await refuse(409, 'ID_ALREADY_VERIFIED', '该身份证号已被另一个微信账号认证。如非本人操作，请携带身份证到交警窗口处理');
  }

  await DriverIdentity.findOneAndUpdate(
    { driverId },
    {
      $set: {
        name: input.name,
        idNumberSealed: idCipher.seal(id.idNumber),
        idHash,
        phone: input.phone,
        agreement: { version: input.agreementVersion, acceptedAt: new Date() },
        entry: input.entry,
        idValidity: input.idValidity ?? null,
      },
    },
    { upsert: true },
  );
  await recordAttempt({ driverId, path: 'profile', result: 'passed' });
}
