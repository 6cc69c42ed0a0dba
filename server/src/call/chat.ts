import { randomBytes } from 'node:crypto';
import type { ChatMessage } from '../../../typings/api/call';
import { caseTopic, loadCase, isActive, type TransitionActor } from '../cases';
import { AppError, tooManyRequests } from '../platform/errors';
import type { CallServices } from './call-services';
import { ChatMessageDoc } from './chat-message.model';

/** The views show the latest ones; a call is five minutes, this is far more than one needs. */
export const CHAT_VIEW_LIMIT = 200;

let sent = 0;
/**
 * `<caseId>:<real ms>:<counter>:<random>`: sorts in the order messages arrived (the business clock
 * `at` may stand still in a test, or step back), unique across instances by the random part.
 */
const messageId = (caseId: string) =>
  `${caseId}:${String(Date.now()).padStart(15, '0')}:${String(sent++ % 1e6).padStart(6, '0')}:${randomBytes(4).toString('hex')}`;

/**
 * One chat message, stored once. Limited per sender and per case (a flood is refused with the wait),
 * and capped per case; the case itself is not written — listeners of the case hear of it directly.
 */
export async function postMessage(services: CallServices, caseId: string, from: string, text: string, actor: TransitionActor): Promise<ChatMessage> {
  const { CHAT_MAX_PER_MINUTE, CHAT_MAX_PER_CASE } = services.config;
  const wait = await services.chatLimiter.take([`user:${actor.id ?? actor.kind}`, CHAT_MAX_PER_MINUTE], [`case:${caseId}`, CHAT_MAX_PER_MINUTE * 2]);
  if (wait > 0) throw tooManyRequests('CHAT_RATE_LIMITED', `发送太频繁，请 ${wait} 秒后再发`, wait);

  const snapshot = await loadCase(caseId);
  if (!isActive(snapshot.state)) throw new AppError(409, 'CASE_NOT_IN_CALL', '案件当前不在处理中，不能发送消息');
  if ((await ChatMessageDoc.countDocuments({ caseId: snapshot._id })) >= CHAT_MAX_PER_CASE) {
    throw new AppError(409, 'CHAT_FULL', '本案消息已达上限，请在视频中直接与民警沟通');
  }
  const at = services.clock();
  const doc = { _id: messageId(caseId), caseId: snapshot._id, from, text, at, by: { kind: actor.kind, id: actor.id } };
  await ChatMessageDoc.create(doc);
  await services.pubsub.publish(caseTopic(caseId), { caseId, brigadeCode: snapshot.brigadeCode ?? null, state: snapshot.state, event: 'message' });
  return { id: doc._id, from, text, at: at.toISOString() };
}

/** The latest messages of a case, oldest first. */
export async function messagesOf(caseId: string): Promise<ChatMessage[]> {
  const latest = await ChatMessageDoc.find({ caseId }, { from: 1, text: 1, at: 1 }).sort({ _id: -1 }).limit(CHAT_VIEW_LIMIT).lean();
  return latest.reverse().map((m) => ({ id: m._id, from: m.from, text: m.text, at: m.at.toISOString() }));
}
