// The package ships no types for its internal AccessToken (used here only to decode tokens in tests).
declare module 'agora-access-token/src/AccessToken' {
  export class AccessToken {
    constructor(appId: string, appCertificate: string, channelName: string, uid: number | string);
    messages: Record<number, number>;
    fromString(token: string): boolean;
    build(): string;
  }
}
