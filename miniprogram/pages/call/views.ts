/** What the call page shows of a view and of the upload queue: plain functions, no page. */
import type { ChatMessage, PartyCallView, ShotKind } from '../../../typings/api/call';
import { type QueuedUpload, UPLOAD_MESSAGES, sentBytes } from '../../utils/uploadQueue';
import { SHOT_LABEL } from './content';

export interface ShotView {
  id: string;
  kind: ShotKind;
  title: string;
  instruction: string;
  note: string;
  /** A photo for it is queued or on its way: no second 拍摄 meanwhile. */
  busy: boolean;
  statusText: string;
}

export interface UploadView {
  key: string;
  label: string;
  status: QueuedUpload['status'];
  percent: number;
  progressText: string;
  statusText: string;
  canRetry: boolean;
}

export interface MessageView {
  id: string;
  who: string;
  text: string;
  time: string;
  mine: boolean;
}

function kb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

export function uploadView(item: QueuedUpload): UploadView {
  const sent = sentBytes(item);
  const percent = item.status === 'done' ? 100 : item.size > 0 ? Math.floor((sent / item.size) * 100) : 0;
  const statusText =
    item.status === 'uploading'
      ? `正在上传 ${percent}%`
      : item.status === 'failed'
        ? item.error
        : UPLOAD_MESSAGES[item.status];
  return {
    key: item.uploadKey,
    label: item.label,
    status: item.status,
    percent,
    progressText: `已上传 ${kb(item.status === 'done' ? item.size : sent)} / ${kb(item.size)}`,
    statusText,
    canRetry: item.status === 'failed' && !item.lost,
  };
}

/** The officer's open shot requests, each with how far its photo got. */
export function shotViews(view: PartyCallView, uploads: readonly QueuedUpload[]): ShotView[] {
  return view.pendingShots
    .filter((s) => s.evidenceId === null)
    .map((shot) => {
      const item = [...uploads].reverse().find((u) => u.shotRequestId === shot.id && u.status !== 'failed');
      return {
        id: shot.id,
        kind: shot.kind,
        title: SHOT_LABEL[shot.kind],
        instruction: shot.instruction,
        note: shot.note ?? '',
        busy: Boolean(item),
        statusText: item ? (item.status === 'done' ? '已上传，等待交警查看' : '已拍摄，见下方上传进度') : '',
      };
    });
}

/** Beijing wall-clock time of day, 「07:31」. */
export function clock(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const d = new Date(ms + 8 * 3600 * 1000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

function senderLabel(from: string, me: string): string {
  if (from === me) return '我';
  if (from === 'dispatcher' || from === 'officer' || from === 'staff') return '交警';
  return /^[A-Z]$/.test(from) ? `${from} 车` : from;
}

/** The view's messages and the ones just sent that it does not list yet, oldest first. */
export function messageViews(view: PartyCallView, sent: readonly ChatMessage[]): MessageView[] {
  const all = [...view.messages, ...sent].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return all.map((m) => ({ id: m.id, who: senderLabel(m.from, view.me), text: m.text, time: clock(m.at), mine: m.from === view.me }));
}
