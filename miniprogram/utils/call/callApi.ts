/** The calls CallSession makes, over the app's request helper, for one case. */
import { apiWith } from '../request';
import { type CallApi, LONG_POLL_TIMEOUT_MS } from './callSession';

export function callApi(caseId: string): CallApi {
  const params = { id: caseId };
  return {
    call: (since) =>
      since === undefined
        ? apiWith('GET /api/v1/cases/:id/call', { params })
        : apiWith('GET /api/v1/cases/:id/call', {
            params,
            query: { since },
            timeoutMs: LONG_POLL_TIMEOUT_MS,
            retry: false, // the poll loop has its own backoff
          }),
    rtcToken: () => apiWith('POST /api/v1/cases/:id/rtc-token', { params }),
  };
}
