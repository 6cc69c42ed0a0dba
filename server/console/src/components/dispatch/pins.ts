import type { CaseState } from '../../../../../typings/api/cases';

/**
 * How the desk's map colours a case, by its state (the legend reads the same table): waiting in the
 * warning colour, on a call in the brand blue, evidence being fixed in green.
 */
export const PIN_STATES = ['queued', 'in_call', 'collecting'] as const satisfies readonly CaseState[];
export type PinState = (typeof PIN_STATES)[number];

export const PIN_COLORS: Record<PinState, string> = {
  queued: '#e37318',
  in_call: '#0052d9',
  collecting: '#2ba471',
};

export function pinColor(state: CaseState): string {
  return (PIN_COLORS as Partial<Record<CaseState, string>>)[state] ?? '#8b8b8b';
}

/** The brigade area as the maps fill it: a pale blue ground with a firm border. */
export const AREA_STYLE = { color: '#366ef4', weight: 2, fillColor: '#d9e1ff', fillOpacity: 0.45 } as const;
