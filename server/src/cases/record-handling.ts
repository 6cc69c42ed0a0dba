import { forgetDesk } from './desk-reads';
import { storeHandlingTime } from './handling-times';

/** A released case's answer-to-release time: stored, and the brigade's wait estimates read it afresh. */
export async function recordHandlingTime(brigadeCode: string, seconds: number, releasedAt: Date): Promise<void> {
  await storeHandlingTime(brigadeCode, seconds, releasedAt);
  forgetDesk(brigadeCode, 'people');
}
