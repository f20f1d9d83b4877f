import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { run, type Io } from '@warrant/cli';
import { releaseList } from '@warrant/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studioCommands } from '../src/cli/studio-commands.ts';
import { createTestApp, createUser, type TestApp } from './helpers/app.ts';
import { createProjectWithTeam, importTexts, next, type ProjectFixture } from './helpers/project.ts';

/**
 * Issue 5: `warrant import`, `export` and `release` against a studio's database, for pipelines,
 * while the studio itself is open on the same file (as a running server would be).
 */

const CORPORA = fileURLToPath(new URL('../../../../shared/corpora/', import.meta.url));
let t: TestApp;
let f: ProjectFixture;
let out: string;

async function warrant(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) };
  const code = await run(args, io, studioCommands);
  return { code, stdout, stderr };
}

beforeAll(async () => {
  t = await createTestApp();
  await createUser(t.app, { username: 'cli-admin', isAdmin: true });
  f = await createProjectWithTeam(t.app, 'cli', 0);
  out = mkdtempSync(join(tmpdir(), 'warrant-cli-'));
});
afterAll(async () => t.close());

describe('warrant import', () => {
  it('imports a folder of 112 English microtexts as an imported annotator, by project name', async () => {
    const result = await warrant('import', '--db', t.dataDir, '--project', 'cli project', '--format', 'arg-microtext', '--mode', 'annotator', '--annotator', 'microtexts', join(CORPORA, 'arg-microtexts/corpus/en'));
    expect(result.stderr).not.toMatch(/warrant:/);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { passages: number; annotations: number; source: string };
    expect(summary).toMatchObject({ passages: 112, annotations: 112, source: 'microtexts' });
    // The studio sees them at once: one database.
    const sets = t.app.sqlite.prepare("select count(*) as n from annotation_sets s join users u on u.id = s.user_id where u.username = 'microtexts' and s.status = 'submitted'").get() as { n: number };
    expect(sets.n).toBe(112);
    // exa and add edges are reported as losses on stderr, item by item.
    expect(result.stderr).toMatch(/^lost: micro_/m);
  });

  it('imports plain passages from a .jsonl file by the project id', async () => {
    const file = join(out, 'more.jsonl');
    writeFileSync(file, `${JSON.stringify({ id: 'cli-1', text: 'Кофе 😀 вреден.' })}\n`);
    const result = await warrant('import', '--db', join(t.dataDir, 'warrant.sqlite'), '--project', f.project.id, file);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ format: 'jsonl', passages: 1 });
  });

  it('refuses bad input whole with exit 1, naming the file and line; nothing is written', async () => {
    const before = (t.app.sqlite.prepare('select count(*) as n from passages').get() as { n: number }).n;
    const file = join(out, 'bad.jsonl');
    writeFileSync(file, `${JSON.stringify({ id: 'x', text: 'fine' })}\n{"id": "y", "text": }\n`);
    const result = await warrant('import', '--db', t.dataDir, '--project', f.project.id, file);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.jsonl was not imported/);
    expect(result.stderr).toMatch(/:2: /);
    expect((t.app.sqlite.prepare('select count(*) as n from passages').get() as { n: number }).n).toBe(before);
  });

  it('answers usage errors with exit 2', async () => {
    expect((await warrant('import', '--db', t.dataDir, join(out, 'more.jsonl'))).code).toBe(2);
    expect((await warrant('import', '--db', t.dataDir, '--project', 'nope', join(out, 'more.jsonl'))).stderr).toMatch(/no project 'nope'/);
    expect((await warrant('import', '--db', join(out, 'nowhere'), '--project', 'x', join(out, 'more.jsonl'))).code).toBe(2);
    expect((await warrant('import', '--db', t.dataDir, '--project', f.project.id, '--format', 'brat', join(out, 'more.jsonl'))).stderr).toMatch(/--mode/);
  });
});

describe('warrant export and release', () => {
  it('exports the project to a file', async () => {
    const file = join(out, 'export.jsonl');
    const result = await warrant('export', '--db', t.dataDir, '--project', f.project.id, file);
    expect(result.code, result.stderr).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(112);
    expect(JSON.parse(lines[0]!)).toMatchObject({ annotator: 'microtexts' });
  });

  it('cuts a release the studio lists, and writes its bundle', async () => {
    const bundle = join(out, 'release.tar.gz');
    const result = await warrant('release', '--db', t.dataDir, '--project', f.project.id, '--name', 'CLI cut', '--source', 'all', '--splits', '0.6,0.2,0.2', '--seed', 'x', '--out', bundle);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as { version: number; records: number; splits: Record<string, number> };
    expect(summary.version).toBe(1);
    expect(summary.records).toBe(112);
    const listed = releaseList.parse((await f.lead.get(`/api/projects/${f.project.id}/releases`)).json());
    expect(listed.releases.map((r) => r.name)).toEqual(['CLI cut']);
    expect(listed.releases[0]!.options.splits).toEqual({ train: 0.6, dev: 0.2, test: 0.2 });
    const tar = gunzipSync(readFileSync(bundle)).toString('latin1');
    for (const name of ['README.md', 'manifest.json', 'train.jsonl', 'dev.jsonl', 'test.jsonl']) expect(tar).toContain(`cli-project-v1/${name}`);
  });

  it('keeps an option value whole, = and leading -- included, into the card', async () => {
    const result = await warrant('release', '--db', t.dataDir, `--project=${f.project.id}`, '--name=-- draft', '--citation=doi=10.1/x', '--source=all');
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as { name: string; options: { citation: string } };
    expect(summary.name).toBe('-- draft');
    expect(summary.options.citation).toBe('doi=10.1/x');
  });

  it('refuses an --out that is a folder before cutting anything', async () => {
    const before = (t.app.sqlite.prepare('select count(*) as n from releases').get() as { n: number }).n;
    const result = await warrant('release', '--db', t.dataDir, '--project', f.project.id, '--name', 'x', '--out', out);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/exists and is not a file/);
    expect((t.app.sqlite.prepare('select count(*) as n from releases').get() as { n: number }).n).toBe(before);
  });

  it('writes nothing of its own into the studio\'s data directory (no session secret)', () => {
    expect(existsSync(join(t.dataDir, 'session-secret'))).toBe(false);
  });

  it('checks release options as the studio does', async () => {
    const result = await warrant('release', '--db', t.dataDir, '--project', f.project.id, '--name', 'x', '--splits', '0.5,0.1,0.1');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--splits: train, dev and test must add up to 1/);
    const unknown = await warrant('release', '--db', t.dataDir, '--project', f.project.id, '--name', 'x', '--labels', 'claim');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/'claim' is not a span label/);
  });
});

describe('warrant backup and restore', () => {
  it('copies a studio while an annotator saves, and the copy restores into a studio that works', async () => {
    const team = await createProjectWithTeam(t.app, 'bk', 1);
    await importTexts(team.lead, team.project.id, Array.from({ length: 30 }, (_, i) => ({ id: `b${i}`, text: `Пример ${i}: 😀 a reason, so a claim.` })));
    const annotator = team.annotators[0]!;
    let saves = 0;
    let saving = true;
    const saveLoop = (async () => {
      while (saving) {
        const item = await next(annotator, team.project.id);
        if (!item) break;
        const res = await annotator.post(`/api/annotation-sets/${item.setId}/changes`, {
          changeId: `bk-${item.setId}`,
          baseVersion: 0,
          ops: [{ op: 'addSpan', span: { id: 's', label: 'premise', start: 0, end: 6 } }, { op: 'setStatus', status: 'submitted' }],
        });
        expect(res.statusCode).toBe(200);
        saves += 1;
      }
    })();
    const folder = join(out, 'backup-1');
    const result = await warrant('backup', '--db', t.dataDir, folder);
    saving = false;
    await saveLoop;
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as { database: { integrity: string }; counts: Record<string, number>; releases: number };
    expect(summary.database.integrity).toBe('ok');
    expect(summary.counts.passages).toBe((t.app.sqlite.prepare('select count(*) as n from passages').get() as { n: number }).n);
    expect(summary.releases).toBeGreaterThan(0);
    expect(saves).toBeGreaterThan(0);

    // Restoring over the open studio is refused; into a new folder it works, releases included.
    const refused = await warrant('restore', '--db', t.dataDir, folder);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/is open in process/);
    const target = join(out, 'restored');
    const restored = await warrant('restore', '--db', target, folder);
    expect(restored.code, restored.stderr).toBe(0);
    const again = await createTestApp({ WARRANT_DATA_DIR: target });
    try {
      expect((again.app.sqlite.prepare('pragma integrity_check').get() as { integrity_check: string }).integrity_check).toBe('ok');
      // The restored studio holds exactly what the backup counted.
      for (const table of ['passages', 'annotation_sets', 'spans', 'releases']) {
        expect((again.app.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n, table).toBe(summary.counts[table]);
      }
      const release = again.app.sqlite.prepare("select id, project_id from releases where name = 'CLI cut'").get() as { id: string; project_id: string };
      const bundle = await again.app.releases.download(release.project_id, release.id, { id: 'nobody', isAdmin: true });
      const chunks: Buffer[] = [];
      for await (const chunk of bundle.stream) chunks.push(chunk as Buffer);
      expect(gunzipSync(Buffer.concat(chunks)).toString('latin1')).toContain('manifest.json');
    } finally {
      await again.close();
    }
  });

  it('refuses to write a backup into a folder that holds something', async () => {
    const result = await warrant('backup', '--db', t.dataDir, out);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not an empty folder/);
  });
});
