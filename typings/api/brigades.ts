/** A traffic-police brigade (大队) as operations staff edit it. */
export interface BrigadeAdminView {
  code: string;
  name: string;
  /** County-level adcodes whose cases land in this brigade's queue. */
  districtAdcodes: string[];
  dutyPhone: string | null;
  /** Dispatcher and officer accounts of this brigade. */
  staff: { id: string; username: string; displayName: string; role: 'dispatcher' | 'officer'; disabled: boolean }[];
  updatedAt: string;
}

export interface BrigadeListResponse {
  items: BrigadeAdminView[];
  /** The city's districts a brigade may answer for (adcode and name), for the console's picker. */
  districts: { adcode: string; name: string }[];
}

export interface SaveBrigadeRequest {
  name: string;
  districtAdcodes: string[];
  dutyPhone: string | null;
}
