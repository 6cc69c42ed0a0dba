/**
 * One matter under 网办进度: case number, date (Beijing time), place, plates and state; once the
 * 认定书 is delivered, the decision (matter-decision) and the insurer hand-off (matter-handoff);
 * and every step so far as a timeline. The steps fold away behind 办理进度 once there is a decision,
 * so the decision is what the driver sees first.
 */
import type { InsurerHandoffView } from '../../../typings/api/insurers';
import type { MatterSummary } from '../../../typings/api/matters';
import { matterView, type MatterView } from '../../utils/matterText';

Component({
  options: { styleIsolation: 'apply-shared' },

  properties: {
    matter: { type: Object, value: null as unknown as MatterSummary },
  },

  data: {
    view: null as MatterView | null,
    hasDecision: false,
    handoff: null as InsurerHandoffView | null,
    stepsOpen: true,
  },

  observers: {
    matter(matter: MatterSummary | null): void {
      if (!matter) return;
      this.setData({ view: matterView(matter), hasDecision: Boolean(matter.decision), handoff: matter.decision?.handoff ?? null, stepsOpen: !matter.decision });
    },
  },

  methods: {
    onStepsTap(): void {
      this.setData({ stepsOpen: !this.data.stepsOpen });
    },
  },
});
