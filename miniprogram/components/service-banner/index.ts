/**
 * The banner at the top of the home page while 视频快处 takes no reports (suspended, outside the
 * hours): what is wrong in the server's words, when it is expected back, and the other ways to
 * handle the accident — 122 as a button that dials, as after a refused check. Renders nothing
 * without a notice.
 */
import { call122 } from '../../utils/alternatives';
import type { ServiceNotice } from '../../utils/serviceStatus';

Component({
  properties: {
    /** null while the service is open (or its status is unknown). */
    notice: { type: Object, value: null as ServiceNotice | null },
  },

  data: {
    callHint: '',
  },

  methods: {
    async onCall122Tap(): Promise<void> {
      this.setData({ callHint: '' });
      if (!(await call122())) this.setData({ callHint: '没有拨出，请直接用手机拨打 122' });
    },
  },
});
