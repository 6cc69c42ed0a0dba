/** Tencent location service, reverse geocoding (`/ws/geocoder/v1/`). Coordinates are GCJ-02. */
export interface LatLng {
  lat: number;
  lng: number;
}

export interface ReferencePoint {
  id?: string;
  title: string;
  location: LatLng;
  _distance: number;
  _dir_desc?: string;
}

export interface ReverseGeocodeResult {
  location: LatLng;
  address: string;
  formatted_addresses?: { recommend?: string; rough?: string };
  address_component: {
    nation: string;
    province: string;
    city: string;
    district: string;
    street: string;
    street_number: string;
  };
  ad_info: {
    nation_code: string;
    adcode: string;
    city_code: string;
    name: string;
    location: LatLng;
    province: string;
    city: string;
    district: string;
  };
  address_reference?: Partial<Record<'town' | 'street' | 'street_number' | 'crossroad' | 'landmark_l1' | 'landmark_l2', ReferencePoint>>;
  poi_count?: number;
  pois?: unknown[];
}

export interface ReverseGeocodeBody {
  status: number;
  message: string;
  request_id?: string;
  result?: ReverseGeocodeResult;
}

/** Documented `status` values other than 0. */
export const TENCENT_MAP_STATUS = {
  SOURCE_NOT_AUTHORISED: 110,
  SIGNATURE_FAILED: 111,
  IP_NOT_AUTHORISED: 112,
  PER_SECOND_LIMIT: 120,
  DAILY_LIMIT: 121,
  INVALID_KEY: 190,
  SERVICE_NOT_ENABLED: 199,
  BAD_KEY_FORMAT: 311,
  NO_RESULT: 347,
  PARAMETER_ERROR: 348,
  LATITUDE_OUT_OF_RANGE: 365,
  LONGITUDE_OUT_OF_RANGE: 366,
} as const;
