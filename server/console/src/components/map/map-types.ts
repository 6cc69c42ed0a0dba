/** A vector layer of our own GeoJSON (districts, excluded roads, their buffer) as GeoMap draws it. */
export interface MapLayer {
  id: string;
  data: unknown;
  color: string;
  weight?: number;
  fillColor?: string;
  fillOpacity?: number;
  opacity?: number;
  dashArray?: string;
  /** A feature property shown as a tooltip on hover (e.g. a district's or a road's name). */
  tooltipProperty?: string;
}

/** A point on the map (a case): drawn as a circle so no marker images are needed. */
export interface MapPoint {
  id: string;
  lat: number;
  lng: number;
  color: string;
  label?: string;
  permanentLabel?: boolean;
  radius?: number;
  /** A class on the drawn circle (SVG maps only), for styling and for tests that count what was drawn. */
  className?: string;
}
