/**
 * call — the video call and the dispatcher's desk: answer, RTC tokens, party information, shot
 * requests, registry checks, chat, release or redirect; the cloud recording, which follows the case by
 * its events; the sweeper for silent calls.
 */
export type { CallServices } from './call-services';
export { createRecordingService, listenForRecording } from './recording';
export { sweepCalls } from './sweeper';
export { deskCaseView } from './desk-view';
export { callRoutes } from './call.routes';
export { deskRoutes } from './desk.routes';
