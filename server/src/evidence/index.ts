/**
 * evidence — photos, stills and the recording's manifest fixed in a hash chain per case: chunked
 * uploads, fixing an item, listing it on the case, verifying the chain.
 */
export { fixEvidence, recordOnCase, toEvidenceItem } from './evidence.service';
export { purgeStaleUploads } from './purge-uploads';
export { evidenceRoutes } from './evidence.routes';
