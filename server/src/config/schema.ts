import { z } from 'zod';
import { authSettings } from './auth';
import { callSettings } from './call';
import { caseRuleSettings } from './case-rules';
import { certificateSettings } from './certificates';
import { dataSettings } from './data';
import { externalSettings } from './external';
import { identitySettings } from './identity';
import { opsSettings } from './ops';
import { processSettings } from './process';
import { missingS3Settings, storageSettings } from './storage';

/** Every setting, one group a file; the groups share no name. */
export const schema = z
  .object({
    ...processSettings,
    ...opsSettings,
    ...dataSettings,
    ...authSettings,
    ...externalSettings,
    ...identitySettings,
    ...caseRuleSettings,
    ...callSettings,
    ...storageSettings,
    ...certificateSettings,
  })
  .superRefine((config, issues) => {
    for (const key of missingS3Settings(config)) {
      issues.addIssue({ code: 'custom', path: [key], message: 'required when STORAGE_BACKEND=s3' });
    }
  });

/** The settings as parsed, before the values derived from them. */
export type Settings = z.infer<typeof schema>;

export type Config = Settings & { cookieSecure: boolean };
