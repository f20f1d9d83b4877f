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
import { createProjectWithTeam, type ProjectFixture } from './helpers/project.ts';

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
