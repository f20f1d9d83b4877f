import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findMigrationsFolder, openDatabase } from '../src/db/client.ts';

/** The migrations folder cut after the migration tagged `last` (a studio of that version). */
function migrationsUpTo(dir: string, last: string): string {
  const folder = join(dir, 'migrations');
  cpSync(findMigrationsFolder(), folder, { recursive: true });
  const journalFile = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((entry) => entry.tag === last);
  expect(at).toBeGreaterThanOrEqual(0);
  journal.entries = journal.entries.slice(0, at + 1);
  writeFileSync(journalFile, JSON.stringify(journal));
  return folder;
}

describe('migration 0006: spans and relations clustered on (set_id, id)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'warrant-migrations-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps a studio's spans and relations, byte for byte, and drops the write-only indexes", () => {
    const file = join(dir, 'warrant.sqlite');
    const old = openDatabase(file, migrationsUpTo(dir, '0005_imported_annotations_and_releases'));
    const raw = old.sqlite;
    raw.pragma('foreign_keys = OFF');
    const insertSet = raw.prepare(
      `INSERT INTO annotation_sets (id, project_id, passage_id, user_id, status, version, created_at, updated_at) VALUES (?, 'p', ?, 'u', 'draft', 1, 0, 0)`,
    );
    const insertSpan = raw.prepare('INSERT INTO spans (set_id, id, label, start, "end", note) VALUES (?, ?, ?, ?, ?, ?)');
    const insertRelation = raw.prepare('INSERT INTO relations (set_id, id, type, source_id, target_id) VALUES (?, ?, ?, ?, ?)');
    for (const set of ['set-b', 'set-a']) {
      insertSet.run(set, `passage-${set}`);
      insertSpan.run(set, 's2', 'conclusion', 40, 52, 'Заключение 🙂\r\nnote');
      insertSpan.run(set, 's1', 'premise', 0, 12, null);
      insertRelation.run(set, 'r1', 'supports', 's1', 's2');
      insertRelation.run(set, 'r2', 'undercuts', 's1', 'r1');
    }
    const spansBefore = raw.prepare('SELECT * FROM spans ORDER BY set_id, id').all();
    const relationsBefore = raw.prepare('SELECT * FROM relations ORDER BY set_id, id').all();
    raw.close();

    const migrated = openDatabase(file);
    const sqlite = migrated.sqlite;
    expect(sqlite.prepare('SELECT * FROM spans ORDER BY set_id, id').all()).toEqual(spansBefore);
    expect(sqlite.prepare('SELECT * FROM relations ORDER BY set_id, id').all()).toEqual(relationsBefore);
    const tables = sqlite.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN ('spans', 'relations') ORDER BY name`).all() as { name: string; sql: string }[];
    expect(tables.map((t) => t.name)).toEqual(['relations', 'spans']);
    for (const table of tables) expect(table.sql).toMatch(/WITHOUT ROWID\s*$/);
    const indexes = sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('spans', 'relations') AND sql IS NOT NULL`).all();
    expect(indexes).toEqual([]);
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    // (The sets themselves point at no project or user: only these two tables are checked.)
    expect(sqlite.pragma('foreign_key_check(spans)')).toEqual([]);
    expect(sqlite.pragma('foreign_key_check(relations)')).toEqual([]);
    // The cascade from a set still reaches its rows.
    sqlite.prepare(`DELETE FROM annotation_sets WHERE id = 'set-a'`).run();
    expect(sqlite.prepare(`SELECT DISTINCT set_id FROM spans UNION SELECT DISTINCT set_id FROM relations`).pluck().all()).toEqual(['set-b']);
    sqlite.close();
  });

  it('is what a new studio gets', () => {
    const fresh = openDatabase(join(dir, 'fresh.sqlite'));
    const sql = fresh.sqlite.prepare(`SELECT sql FROM sqlite_master WHERE name = 'spans'`).pluck().get() as string;
    expect(sql).toContain('WITHOUT ROWID');
    fresh.sqlite.close();
  });
});
