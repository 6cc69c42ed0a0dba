import { RtcRole, RtcTokenBuilder } from 'agora-access-token';
import type { RtcCredentials, RtcMember } from '../../../typings/api/call';

/**
 * One Agora channel per case, and fixed numeric uids by seat, so a tile can be labelled from the uid
 * alone and a party who rejoins after a drop gets the same seat: the dispatcher is 1, party A 101,
 * B 102, C 103. (Agora uids are 32-bit unsigned integers; 0 would mean "let Agora pick".)
 */
export const DISPATCHER_UID = 1;
export const channelFor = (caseId: string) => `case-${caseId}`;
export const uidForParty = (label: string) => 100 + (label.charCodeAt(0) - 64);

export function rtcMembers(partyLabels: string[]): RtcMember[] {
  return [
    { uid: DISPATCHER_UID, who: 'dispatcher', label: '交警' },
    ...partyLabels.map((label) => ({ uid: uidForParty(label), who: label, label: `${label} 车` })),
  ];
}

/** A publisher token for one uid in one channel; `agora-access-token` wants the expiry as absolute Unix seconds. */
export function issueRtcToken(options: { appId: string; certificate: string; caseId: string; uid: number; now: Date; ttlSeconds: number }): RtcCredentials {
  const expiresAtSeconds = Math.floor(options.now.getTime() / 1000) + options.ttlSeconds;
  const channel = channelFor(options.caseId);
  const token = RtcTokenBuilder.buildTokenWithUid(options.appId, options.certificate, channel, options.uid, RtcRole.PUBLISHER, expiresAtSeconds);
  return { appId: options.appId, channel, uid: options.uid, token, expiresAt: new Date(expiresAtSeconds * 1000).toISOString() };
}
