/**
 * 申请复核 (ROUTES.review?caseId=): the written review of a liability decision (§71–72 of
 * 《道路交通事故处理程序规定》), within three days of delivery, to the authority one level up.
 *
 * The page first asks the server where the matter stands (GET /matters): applied already, the window
 * closed (said with its deadline), or open — then the form: the request, the reasons (limits
 * shown), up to six photos (camera or album) uploaded resumably through the upload queue (kind
 * `review_evidence`), and 提交 once every photo is up. A refusal from the server (the window closed
 * meanwhile, already applied) is shown in the server's words, which win over the page's own.
 */
import type { MatterSummary } from '../../../typings/api/matters';
import type { PhotoView } from '../../components/review-photos/index';
import { userMessage } from '../../utils/errors';
import { newIdempotencyKey } from '../../utils/id';
import { dateTimeText, deadlineText } from '../../utils/matterText';
import { ROUTES } from '../../routes';
import { api, apiWith } from '../../utils/request';
import { type QueuedUpload, UploadQueue } from '../../utils/uploadQueue';
import { uploadView } from '../call/views';
import { LIMITS, REVIEW_TEXT, checkForm, mayHaveArrived, photosProblem, refusal, startPhase, type Phase } from './form';

/** What the page keeps outside `data`, one per page instance. */
interface Runtime {
  alive: boolean;
  queue: UploadQueue | null;
  uploads: readonly QueuedUpload[];
  /** Photos the driver took out of the application (their upload may still finish). */
  removed: Set<string>;
  /** Kept while a submission may have reached the server unanswered. */
  submitKey: string;
}

const runtimes = new WeakMap<object, Runtime>();

Component({
  properties: {
    caseId: { type: String, value: '' },
  },

  data: {
    phase: 'loading' as Phase,
    message: '',
    deadline: '',
    limits: LIMITS,
    text: REVIEW_TEXT,
    request: '',
    reasons: '',
    requestError: '',
    reasonsError: '',
    photosError: '',
    photos: [] as PhotoView[],
    submitting: false,
    submitError: '',
    appliedAt: '',
  },

  lifetimes: {
    attached(): void {
      runtimes.set(this, { alive: true, queue: null, uploads: [], removed: new Set(), submitKey: '' });
      void this.load();
    },
    detached(): void {
      const rt = runtimes.get(this);
      if (!rt) return;
      rt.alive = false;
      rt.queue?.stop(); // storage keeps unsent photos for the next visit
    },
  },

  methods: {
    async load(): Promise<void> {
      this.setData({ phase: 'loading', message: '' });
      let matter: MatterSummary | undefined;
      try {
        const { items } = await api('GET /api/v1/matters');
        matter = items.find((m) => m.caseId === this.data.caseId);
      } catch (err) {
        this.setData({ phase: 'error', message: userMessage(err) });
        return;
      }
      const { phase, message } = startPhase(matter);
      const deadline = matter?.decision?.review.deadline;
      this.setData({ phase, message, deadline: deadline ? deadlineText(deadline) : '' });
      if (phase === 'form') this.startQueue();
    },

    onRetryTap(): Promise<void> {
      return this.load();
    },

    startQueue(): void {
      const rt = runtimes.get(this);
      if (!rt || rt.queue) return;
      rt.queue = new UploadQueue(
        this.data.caseId,
        (items) => {
          if (!rt.alive) return;
          rt.uploads = items;
          this.showPhotos();
        },
        'review',
      );
      rt.queue.start();
    },

    /** The photos still part of the application, oldest first. */
    chosen(): QueuedUpload[] {
      const rt = runtimes.get(this);
      return rt ? rt.uploads.filter((u) => !rt.removed.has(u.uploadKey)) : [];
    },

    showPhotos(): void {
      const photos = this.chosen().map((u, i) => ({ ...uploadView(u), label: `照片 ${i + 1}`, thumb: u.filePath }));
      // A complaint about the photos goes away once they are up (or taken out).
      this.setData({ photos, ...(this.data.photosError ? { photosError: photosProblem(this.chosen()) } : {}) });
    },

    onPhotos(e: WechatMiniprogram.CustomEvent<{ files: { tempFilePath: string; size: number }[] }>): void {
      const queue = runtimes.get(this)?.queue;
      if (!queue) return;
      const room = LIMITS.photosMax - this.chosen().length;
      e.detail.files.slice(0, Math.max(0, room)).forEach((file, i) => {
        void queue.add(file, { shotRequestId: null, kind: 'review_evidence', label: `复核照片 ${this.chosen().length + i + 1}` });
      });
    },

    onPhotoRetry(e: WechatMiniprogram.CustomEvent<{ key: string }>): void {
      runtimes.get(this)?.queue?.retry(e.detail.key);
    },

    onPhotoRemove(e: WechatMiniprogram.CustomEvent<{ key: string }>): void {
      runtimes.get(this)?.removed.add(e.detail.key);
      this.showPhotos();
    },

    onRequestChange(e: WechatMiniprogram.CustomEvent<{ value: string }>): void {
      this.setData({ request: e.detail.value, requestError: '' });
    },

    onReasonsChange(e: WechatMiniprogram.CustomEvent<{ value: string }>): void {
      this.setData({ reasons: e.detail.value, reasonsError: '' });
    },

    async onSubmitTap(): Promise<void> {
      const rt = runtimes.get(this);
      if (!rt || this.data.submitting) return;
      const photos = this.chosen();
      const errors = checkForm(this.data.request, this.data.reasons, photos);
      this.setData({ ...errors, submitError: '' });
      if (errors.requestError || errors.reasonsError || errors.photosError) return;

      rt.submitKey = rt.submitKey || newIdempotencyKey();
      this.setData({ submitting: true });
      try {
        const matter = await apiWith(
          'POST /api/v1/matters/:id/review',
          { params: { id: this.data.caseId }, idempotencyKey: rt.submitKey },
          {
            request: this.data.request.trim(),
            reasons: this.data.reasons.trim(),
            evidenceIds: photos.map((p) => p.evidenceId).filter((id): id is string => Boolean(id)),
          },
        );
        rt.submitKey = '';
        const applied = matter.steps.filter((s) => s.kind === 'review_requested').pop();
        this.setData({ submitting: false, phase: 'done', appliedAt: applied ? dateTimeText(applied.at) : '' });
      } catch (err) {
        if (!mayHaveArrived(err)) rt.submitKey = '';
        const refused = refusal(err);
        if (refused) this.setData({ submitting: false, phase: refused, message: userMessage(err) });
        else this.setData({ submitting: false, submitError: userMessage(err) });
      }
    },

    onBackTap(): void {
      wx.navigateBack({ fail: () => wx.redirectTo({ url: ROUTES.progress }) });
    },
  },
});
