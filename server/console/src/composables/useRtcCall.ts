import { onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue';
import type { RtcMember } from '../../../../typings/api/call';
import { ApiRequestError, apiAt } from '../api';
import { createRtcSession, type RtcConnection, type RtcSession } from '../rtc';

export interface RtcCall {
  kind: Ref<'agora' | 'fake' | null>;
  connection: Ref<RtcConnection>;
  /** Why joining failed (Chinese), null otherwise. */
  error: Ref<string | null>;
  /** Remote video by Agora uid. Replaced (not mutated) on every change, so the tiles re-render. */
  remote: Ref<ReadonlyMap<number, MediaStream>>;
  local: Ref<MediaStream | null>;
  micOn: Ref<boolean>;
  cameraOn: Ref<boolean>;
  toggleMic: () => Promise<void>;
  toggleCamera: () => Promise<void>;
  switchCamera: () => Promise<string | null>;
  /** Join again after a failure. */
  retry: () => void;
}

/**
 * The dispatcher's side of the case's video call, while `active` says the call is on: a token from
 * POST /desk/cases/:id/rtc-token, then the RTC session the token's app id selects (rtc/index.ts).
 * Leaves when the case stops being active (released, redirected, handed back) or the view closes.
 */
export function useRtcCall(caseId: string, active: Ref<boolean>, members: Ref<readonly RtcMember[]>): RtcCall {
  const kind = ref<'agora' | 'fake' | null>(null);
  const connection = ref<RtcConnection>('idle');
  const error = ref<string | null>(null);
  const remote = shallowRef<ReadonlyMap<number, MediaStream>>(new Map());
  const local = shallowRef<MediaStream | null>(null);
  const micOn = ref(true);
  const cameraOn = ref(true);
  let session: RtcSession | null = null;
  let starting: Promise<void> | null = null;
  let disposed = false;

  async function token() {
    return apiAt('POST /api/v1/desk/cases/:id/rtc-token', { id: caseId });
  }

  async function start(): Promise<void> {
    if (session || disposed) return;
    error.value = null;
    connection.value = 'connecting';
    try {
      const credentials = await token();
      const created = await createRtcSession(credentials);
      if (disposed || !active.value) return;
      session = created;
      kind.value = created.kind;
      created.on('connection', (state) => (connection.value = state));
      created.on('local', (stream) => (local.value = stream));
      created.on('track', (uid, stream) => {
        const next = new Map(remote.value);
        if (stream) next.set(uid, stream);
        else next.delete(uid);
        remote.value = next;
      });
      created.on('tokenExpiring', () => {
        void token()
          .then((fresh) => session?.renewToken(fresh.token))
          .catch(() => undefined);
      });
      created.expectMembers(members.value);
      await created.join(credentials);
      await created.setMicEnabled(micOn.value);
    } catch (err) {
      connection.value = 'failed';
      // An API refusal has the server's Chinese message; an SDK or device failure only its own text.
      const reason = err instanceof ApiRequestError ? err.message : err instanceof Error ? err.message : String(err);
      error.value = `视频通话连接失败：${reason}`;
      await stop();
    }
  }

  async function stop(): Promise<void> {
    const current = session;
    session = null;
    remote.value = new Map();
    local.value = null;
    if (current) await current.leave().catch(() => undefined);
    if (connection.value !== 'failed') connection.value = 'idle';
  }

  watch(
    active,
    (on) => {
      if (on) starting ??= start().finally(() => (starting = null));
      else void stop();
    },
    { immediate: true },
  );
  watch(members, (list) => session?.expectMembers(list));

  onScopeDispose(() => {
    disposed = true;
    void stop();
  });

  return {
    kind,
    connection,
    error,
    remote,
    local,
    micOn,
    cameraOn,
    async toggleMic() {
      micOn.value = !micOn.value;
      await session?.setMicEnabled(micOn.value);
    },
    async toggleCamera() {
      cameraOn.value = !cameraOn.value;
      await session?.setCameraEnabled(cameraOn.value);
    },
    async switchCamera() {
      return (await session?.switchCamera()) ?? null;
    },
    retry() {
      if (active.value && !session) starting ??= start().finally(() => (starting = null));
    },
  };
}
