import { describe, expect, it } from 'vitest';
import { translator } from '../../../lib/i18n/translate.ts';
import type { SaveStatus } from './save-engine.ts';
import { saveStatusText } from './save-status-text.ts';

const en = translator('en');
const ru = translator('ru');
const SERVER_SENTENCE = "ops[1]: unknown span label 'claim' (this project's labels: premise, conclusion)";

const refused: SaveStatus = {
  kind: 'error',
  pending: 0,
  reason: 'refused',
  message: SERVER_SENTENCE,
  dropped: 1,
  edits: [{ op: 'addSpan', label: { key: 'premise', name: 'Premise' }, text: 'All men are mortal', cause: 'scheme' }],
};

describe('saveStatusText', () => {
  it("never shows the server's English sentence: error codes and reasons map to the catalogue", () => {
    const statuses: SaveStatus[] = [
      refused,
      { ...refused, reason: 'not-restored' },
      { kind: 'error', pending: 2, reason: 'forbidden', message: 'the CSRF token is missing or wrong' },
      { kind: 'error', pending: 2, reason: 'unavailable', message: 'the disk is full' },
      { kind: 'error', pending: 2, reason: 'not-found', message: 'annotation set not found' },
      { kind: 'error', pending: 2, reason: 'storage', message: 'QuotaExceededError' },
    ];
    for (const status of statuses) {
      for (const t of [en, ru]) {
        const text = saveStatusText(status, t);
        expect(text).not.toContain(status.kind === 'error' ? status.message : '');
        expect(text).not.toMatch(/ops\[|CSRF|unknown span label|not found|QuotaExceeded/);
      }
    }
  });

  it('names the dropped edit and why, in the user’s language (default label names translated too)', () => {
    expect(saveStatusText(refused, ru)).toBe(
      '1 правка не сохранена: сервер отклонил новый отрезок «All men are mortal» (Посылка), потому что метки «Посылка» больше нет в схеме меток проекта. Теперь показано то, что сохранено.',
    );
    expect(saveStatusText({ ...refused, dropped: 3 }, en)).toBe(
      '3 edits were not saved; the first, the new span “All men are mortal” (Premise), was refused because “Premise” is no longer in the project’s label scheme. The passage now shows what is saved.',
    );
    const lead = { ...refused, edits: [{ op: 'addRelation' as const, label: { key: 'rebuts', name: 'Rebuts' }, cause: 'scheme' as const }] };
    expect(saveStatusText(lead, ru)).toContain('сервер отклонил новую связь «Rebuts», потому что типа связи «Rebuts» больше нет в схеме меток проекта');
  });

  it('maps offset reasons (details.reason) to their own sentences', () => {
    const offsets = (reason: 'past_end' | 'empty_or_reversed' | 'inside_surrogate_pair' | 'negative') =>
      saveStatusText({ ...refused, edits: [{ op: 'updateSpan', text: 'Socrates', cause: 'offsets', offsets: reason }] }, en);
    expect(offsets('past_end')).toContain('the change to the span “Socrates” because it reaches past the end of the passage text');
    expect(offsets('empty_or_reversed')).toContain('because it covers no text');
    expect(offsets('inside_surrogate_pair')).toContain('because it cuts a character in two');
    expect(offsets('negative')).toContain('because its position does not fit the passage text');
  });

  it('after the notice, says what else holds edits back', () => {
    expect(saveStatusText({ ...refused, pending: 2, waiting: 'offline' }, en)).toMatch(/The passage now shows what is saved\. Offline: 2 other changes wait on this device\.$/);
    expect(saveStatusText({ ...refused, pending: 1, waiting: 'storage', volatile: true }, ru)).toMatch(
      /сохранено\. Последние изменения не удалось сохранить на этом устройстве; они есть только в этой вкладке\. Этот браузер не может хранить/,
    );
  });

  it('without IndexedDB, never claims edits are kept on this device', () => {
    const statuses: SaveStatus[] = [
      { kind: 'saving', pending: 1, volatile: true },
      { kind: 'offline', pending: 1, volatile: true },
      { kind: 'signed-out', pending: 1, volatile: true },
      { kind: 'error', pending: 1, reason: 'unavailable', message: '', volatile: true },
      { kind: 'error', pending: 1, reason: 'not-found', message: '', volatile: true },
      { kind: 'error', pending: 1, reason: 'forbidden', message: '', volatile: true },
    ];
    for (const status of statuses) {
      expect(saveStatusText(status, en)).toMatch(/NOT kept on this device|cannot keep unsent changes on this device/);
      expect(saveStatusText(status, en)).not.toMatch(/(is|are) kept on this device/);
      expect(saveStatusText(status, ru)).toMatch(/НЕ сохранен|не может хранить/);
      expect(saveStatusText(status, ru)).not.toMatch(/хран(ит|ят)ся на этом устройстве/);
    }
  });
});
