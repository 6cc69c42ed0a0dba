/** Fixed text of the 实人认证 pages. */

/** Shown above the checkbox; the version accepted is the one GET /verification reports. */
export const AGREEMENT_PARAGRAPHS: readonly string[] = [
  '为确认是您本人使用事故视频快处，江门市公安局交通警察支队需要核验您的姓名、身份证号和手机号，并通过微信人脸核身比对您本人。',
  '您的信息只用于身份核验和事故处理，依法保存和保护，不会用于其他用途，也不会提供给无关单位或个人。',
  '人脸识别未通过时，您可以改用短信验证，或上传身份证照片由民警人工审核。',
];

/** What each status (or step) tells the driver. */
export const TEXT = {
  verifiedTitle: '实人认证已完成',
  verifiedHint: '您已通过实人认证，可以使用事故视频快处。',
  pendingTitle: '正在人工审核',
  pendingHint: '您提交的身份证照片正在由民警审核，审核通过后即可使用事故视频快处。请耐心等待。',
  rejectedTitle: '实人认证未通过',
  rejectedNext: '请按上面的原因重新拍摄身份证正反面照片并提交审核；也可以重新进行人脸识别。',
  rejectedNoReason: '审核没有通过。',
  faceTitle: '人脸识别',
  faceHint: '请在光线充足的地方，正对手机，按提示完成动作。',
  faceInterrupted: '人脸识别没有完成，请重试',
} as const;
