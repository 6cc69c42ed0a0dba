/** WeChat answered with a non-zero errcode. */
export class WechatApiError extends Error {
  constructor(
    readonly api: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeChat ${api} errcode ${errcode}: ${errmsg}`);
    this.name = 'WechatApiError';
  }
}
