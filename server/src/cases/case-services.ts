import type { PlatformServices } from '../platform/services';
import type { CaseListeners } from './case-listeners';

/** What the case core needs beside the platform: the listeners other modules hang on its events. */
export interface CaseServices extends PlatformServices {
  caseListeners: CaseListeners;
}

/** What a change to a case tells once stored: live consoles and phones (pubsub), and the listeners. */
export type CaseNotify = Pick<CaseServices, 'pubsub' | 'caseListeners'>;
