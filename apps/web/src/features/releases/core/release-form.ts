import { RELEASE_SPLITS, createReleaseBody, type CreateReleaseBody, type ReleaseSplit } from '@warrant/contracts';

/** The form as typed: numbers stay text until they are read, so "0,8" and half-typed values survive. */
export interface ReleaseForm {
  name: string;
  description: string;
  source: 'gold' | 'all';
  /** Ticked category keys; none ticked means all. */
  categories: string[];
  /** Ticked span label keys; none ticked means all. */
  labels: string[];
  /** Empty: no minimum. */
  minAgreement: string;
  splits: Record<ReleaseSplit, string>;
  splitSeed: string;
  licence: string;
  citation: string;
}

export const DEFAULT_RELEASE_FORM: ReleaseForm = {
  name: '',
  description: '',
  source: 'gold',
  categories: [],
  labels: [],
  minAgreement: '',
  splits: { train: '0.8', dev: '0.1', test: '0.1' },
  splitSeed: '',
  licence: '',
  citation: '',
};

export type ReleaseFormProblem = 'nameRequired' | 'nameTooLong' | 'ratio' | 'splitsSum' | 'invalid';
export type ReleaseFormErrors = Partial<Record<'name' | 'minAgreement' | ReleaseSplit | 'splits' | 'form', ReleaseFormProblem>>;

/** A share between 0 and 1, written with a point or a comma ("0.8", "0,8", ".8"); null if it is not one. */
export function parseRatio(text: string): number | null {
  const normalised = text.trim().replace(',', '.');
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(normalised)) return null;
  const value = Number(normalised);
  return Number.isFinite(value) && value >= 0 && value <= 1 ? value : null;
}

/** The three shares add up to 1 (with the server's tolerance for 0.7 + 0.2 + 0.1). */
export const splitsAddUp = (splits: Record<ReleaseSplit, number>) => Math.abs(splits.train + splits.dev + splits.test - 1) < 1e-9;

/** Toggles one key in a "none ticked means all" list, keeping the scheme's order. */
export function toggleKey(selected: readonly string[], order: readonly string[], key: string, on: boolean): string[] {
  const next = new Set(selected);
  if (on) next.add(key);
  else next.delete(key);
  return order.filter((item) => next.has(item));
}

/**
 * The request body for the form, or what is wrong with it (in the words of ReleaseFormProblem,
 * which the page translates). Optional texts are trimmed; empty lists mean "all".
 */
export function releaseBody(form: ReleaseForm): { ok: true; body: CreateReleaseBody } | { ok: false; errors: ReleaseFormErrors } {
  const errors: ReleaseFormErrors = {};
  const name = form.name.trim();
  if (name === '') errors.name = 'nameRequired';
  else if (name.length > 100) errors.name = 'nameTooLong';

  let minAgreement: number | null = null;
  if (form.minAgreement.trim() !== '') {
    minAgreement = parseRatio(form.minAgreement);
    if (minAgreement === null) errors.minAgreement = 'ratio';
  }

  const splits = { train: 0, dev: 0, test: 0 };
  for (const split of RELEASE_SPLITS) {
    const value = parseRatio(form.splits[split]);
    if (value === null) errors[split] = 'ratio';
    else splits[split] = value;
  }
  if (!RELEASE_SPLITS.some((split) => errors[split]) && !splitsAddUp(splits)) errors.splits = 'splitsSum';
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const body: CreateReleaseBody = {
    name,
    description: form.description.trim(),
    source: form.source,
    categories: [...form.categories],
    labels: [...form.labels],
    minAgreement,
    splits,
    splitSeed: form.splitSeed.trim(),
    licence: form.licence.trim(),
    citation: form.citation.trim(),
  };
  // The contract has limits this form does not repeat (lengths of the free texts).
  return createReleaseBody.safeParse(body).success ? { ok: true, body } : { ok: false, errors: { form: 'invalid' } };
}

/** "a1b2c3d4…e5f6": enough of a SHA-256 to recognise, the whole one goes in a title and the clipboard. */
export function shortHash(hex: string): string {
  return hex.length <= 16 ? hex : `${hex.slice(0, 8)}…${hex.slice(-4)}`;
}
