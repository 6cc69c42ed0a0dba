/**
 * brigades — the traffic-police units and the districts each answers for; ops manage them and their
 * staff accounts here.
 */
export { brigadeForDistrict, findBrigade, listenForBrigadeChanges } from './brigade.service';
export { brigadeNames } from './brigade-names';
export { ensureDefaultBrigades } from './default-brigades';
export { DISTRICTS } from './districts';
export type { District } from './districts';
export { brigadeAdminRoutes } from './brigade.routes';
export { staffAdminRoutes } from './staff-accounts.routes';
