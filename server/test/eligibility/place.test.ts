import destination from '@turf/destination';
import pointOnFeature from '@turf/point-on-feature';
import gcoord from 'gcoord';
import { DISTRICTS } from '../../src/brigades/districts';
import { checkPlace } from '../../src/eligibility/place';

/** Every vertex of the whole city's outlines, to find points on the outer edge. */
const vertices = DISTRICTS.flatMap((d) => {
  const g = d.area.geometry;
  const rings = g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
  return rings.flatMap((ring) => ring.map(([lng, lat]) => ({ lng: lng!, lat: lat!, adcode: d.adcode })));
});
const southernmost = vertices.reduce((a, b) => (b.lat < a.lat ? b : a));
const northernmost = vertices.reduce((a, b) => (b.lat > a.lat ? b : a));
const move = (p: { lat: number; lng: number }, metres: number, bearing: number) => {
  const [lng, lat] = destination([p.lng, p.lat], metres, bearing, { units: 'meters' }).geometry.coordinates;
  return { lat: lat!, lng: lng! };
};

describe('eligibility/place', () => {
  it.each(DISTRICTS.map((d) => [d.name, d.adcode]))('routes a point inside %s to %s', (_name, adcode) => {
    const district = DISTRICTS.find((d) => d.adcode === adcode)!;
    const [lng, lat] = pointOnFeature(district.area).geometry.coordinates;
    expect(checkPlace({ lat: lat!, lng: lng!, coordType: 'gcj02' })).toMatchObject({ ok: true, code: 'IN_AREA', district: { adcode }, nearBorder: false });
  });

  it('routes a point 100 m outside the city edge to the nearest district instead of refusing', () => {
    const outside = move(northernmost, 100, 0);
    expect(checkPlace({ ...outside, coordType: 'gcj02' })).toMatchObject({ ok: true, code: 'NEAR_BORDER', district: { adcode: northernmost.adcode }, nearBorder: true });
  });

  it('refuses a point 10 km out to sea, with the reason and the alternatives', () => {
    const sea = move(southernmost, 10_000, 180);
    const verdict = checkPlace({ ...sea, coordType: 'gcj02' });
    expect(verdict).toMatchObject({ ok: false, code: 'OUTSIDE_AREA', district: null, alternatives: ['call_122', 'photo_quick_handling', 'self_settlement'] });
    expect(verdict.reason).toMatch(/不在江门市/);
  });

  it('accepts WGS-84, flags it, and converts it to GCJ-02 before testing', () => {
    const district = DISTRICTS.find((d) => d.adcode === '440703')!;
    const [lng, lat] = pointOnFeature(district.area).geometry.coordinates as [number, number];
    const [wgsLng, wgsLat] = gcoord.transform([lng, lat], gcoord.GCJ02, gcoord.WGS84) as [number, number];
    const verdict = checkPlace({ lat: wgsLat, lng: wgsLng, coordType: 'wgs84' });
    expect(verdict).toMatchObject({ ok: true, convertedFromWgs84: true, district: { adcode: '440703' } });
    expect(verdict.point.lat).toBeCloseTo(lat, 4);
    expect(verdict.point.lng).toBeCloseTo(lng, 4);
  });
});
