/**
 * 我的信息: the party's own driver, vehicle and insurance details, filled in from the case (the
 * officer may have typed them), 保存 or 确认无误 (PUT my-info). What the driver is typing is not
 * overwritten by the next view until it is saved. Emits `view` with the server's answer.
 */
import type { PartyInfo, PartyInfoUpdate } from '../../../typings/api/call';
import { INFO_FIELDS, type InfoField, PLATE_TYPES } from '../../pages/call/content';
import { clock } from '../../pages/call/views';
import { userMessage } from '../../utils/errors';
import { apiWith } from '../../utils/request';

type InfoForm = Record<InfoField, string>;

const EMPTY_INFO: InfoForm = { driverName: '', licenceNo: '', plateType: '', vehicleType: '', insurer: '', policyNo: '', phone: '' };
const FIELD_NAMES = Object.keys(EMPTY_INFO) as InfoField[];

/** The form as the server has it, and the plate type picker's position and words. */
function formData(info: PartyInfo): Record<string, unknown> {
  const form = { ...EMPTY_INFO };
  for (const name of FIELD_NAMES) form[name] = info[name] ?? '';
  const index = PLATE_TYPES.findIndex((t) => t.code === form.plateType);
  return { info: form, plateTypeIndex: index, plateTypeText: PLATE_TYPES[index]?.name ?? (form.plateType || '请选择') };
}

Component({
  options: { styleIsolation: 'apply-shared' },

  properties: {
    caseId: { type: String, value: '' },
    /** The newest view's myInfo. */
    myInfo: { type: Object, value: null as PartyInfo | null },
  },

  data: {
    infoFields: INFO_FIELDS,
    info: { ...EMPTY_INFO } as InfoForm,
    infoDirty: false,
    plateTypeNames: PLATE_TYPES.map((t) => t.name),
    plateTypeIndex: -1,
    plateTypeText: '请选择',
    savingInfo: false,
    infoError: '',
    infoNote: '',
    confirmedText: '',
  },

  observers: {
    myInfo(info: PartyInfo | null): void {
      if (info) this.show(info, this.data.infoDirty);
    },
  },

  lifetimes: {
    attached(): void {
      const info = this.data.myInfo as PartyInfo | null;
      if (info) this.show(info, false);
    },
  },

  methods: {
    show(info: PartyInfo, keepForm: boolean): void {
      this.setData({
        confirmedText: info.confirmedAt ? `已于 ${clock(info.confirmedAt)} 确认` : '',
        ...(keepForm ? {} : formData(info)),
      });
    },

    onInfoChange(e: WechatMiniprogram.CustomEvent<{ value: string }, Record<string, never>, { field: InfoField }>): void {
      const field = e.currentTarget.dataset.field;
      if (!(field in EMPTY_INFO)) return;
      this.setData({ [`info.${field}`]: e.detail.value ?? '', infoDirty: true, infoError: '', infoNote: '' });
    },

    onPlateTypeChange(e: WechatMiniprogram.PickerChange): void {
      const index = Number(e.detail.value);
      const type = PLATE_TYPES[index];
      if (!type) return;
      this.setData({ 'info.plateType': type.code, plateTypeIndex: index, plateTypeText: type.name, infoDirty: true, infoError: '', infoNote: '' });
    },

    onSaveInfoTap(): Promise<void> {
      return this.saveInfo(false);
    },

    onConfirmInfoTap(): Promise<void> {
      return this.saveInfo(true);
    },

    async saveInfo(confirm: boolean): Promise<void> {
      if (this.data.savingInfo) return;
      const form = this.data.info as InfoForm;
      const phone = form.phone.trim();
      if (phone && !/^1\d{10}$/.test(phone)) {
        this.setData({ infoError: '请填写 11 位手机号' });
        return;
      }
      if (confirm && !form.driverName.trim()) {
        this.setData({ infoError: '请先填写驾驶人姓名再确认' });
        return;
      }
      const body: PartyInfoUpdate = {};
      for (const name of FIELD_NAMES) body[name] = form[name].trim() || null;
      if (confirm) body.confirm = true;
      this.setData({ savingInfo: true, infoError: '', infoNote: '' });
      try {
        const view = await apiWith('PUT /api/v1/cases/:id/my-info', { params: { id: this.data.caseId } }, body);
        this.setData({ savingInfo: false, infoDirty: false, infoNote: confirm ? '已确认，交警会看到您确认过的信息' : '已保存' });
        this.triggerEvent('view', view);
        // The newest view's, even when a poll was ahead of this answer.
        this.show((this.data.myInfo as PartyInfo | null) ?? view.myInfo, false);
      } catch (err) {
        this.setData({ savingInfo: false, infoError: userMessage(err) });
      }
    },
  },
});
