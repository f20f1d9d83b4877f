import { readFile } from 'node:fs/promises';
import { FormatError, parseSemanticJsonl } from '@warrant/formats';
import { agreementOf } from './agreement-command.ts';
import { convert, READ_FORMATS, WRITE_FORMATS, type ReadFormat, type WriteFormat } from './convert-command.ts';
import { EXIT, USAGE, UsageError } from './usage.ts';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * Commands that work on a studio's database (import, export, release): the studio provides them
 * (apps/api/src/cli), as this package never depends on an app.
 */
export type StudioCommand = (args: string[], io: Io) => Promise<number>;
export const STUDIO_COMMANDS = ['import', 'export', 'release', 'backup', 'restore'] as const;

/** `--name value` options and positional arguments; unknown options are usage errors. */
export function parseArgs(args: string[], known: string[]): { options: Map<string, string>; positional: string[] } {
  const options = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    // `--name=value` (the value may hold '=' and start with '--') or `--name value`.
    const equals = arg.indexOf('=');
    const name = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
    const inline = equals === -1 ? undefined : arg.slice(equals + 1);
    if (!known.includes(name)) throw new UsageError(`unknown option --${name}`);
    const value = inline ?? args[(i += 1)];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw new UsageError(`--${name} needs a value (write --${name}=<value> for one that starts with --)`);
    }
    options.set(name, value);
  }
  return { options, positional };
}

/** Runs one command; returns its exit code. Never calls process.exit (tests call this directly). */
export async function run(args: string[], io: Io = processIo, studio: Partial<Record<string, StudioCommand>> = {}): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(`${USAGE}\n`);
        return command === undefined ? EXIT.usage : EXIT.ok;
      case 'agreement': {
        const { positional } = parseArgs(rest, []);
        if (positional.length !== 1) throw new UsageError('agreement takes one semantic JSONL file');
        const file = positional[0] as string;
        const { documents } = parseSemanticJsonl({ file, text: await readFile(file, 'utf8') });
        io.stdout(`${JSON.stringify(agreementOf(documents), null, 2)}\n`);
        return EXIT.ok;
      }
      case 'convert': {
        const { options, positional } = parseArgs(rest, ['from', 'to', 'language', 'source']);
        const from = options.get('from');
        const to = options.get('to');
        if (!from || !to) throw new UsageError('convert needs --from and --to');
        if (!(READ_FORMATS as readonly string[]).includes(from)) throw new UsageError(`cannot read '${from}': one of ${READ_FORMATS.join(', ')}`);
        if (!(WRITE_FORMATS as readonly string[]).includes(to)) throw new UsageError(`cannot write '${to}': one of ${WRITE_FORMATS.join(', ')}`);
        if (options.get('source') === '') throw new UsageError('--source needs a name');
        const language = options.get('language');
        if (language !== undefined && !['en', 'de', 'ru'].includes(language)) throw new UsageError(`--language must be en, de or ru, not '${language}'`);
        if (positional.length !== 2) throw new UsageError('convert takes an input and an output');
        const report = await convert({
          from: from as ReadFormat,
          to: to as WriteFormat,
          input: positional[0] as string,
          output: positional[1] as string,
          language: language as 'en' | 'de' | 'ru' | undefined,
          source: options.get('source'),
        });
        for (const loss of report.losses) io.stderr(`lost: ${loss.document}${loss.source ? ` (${loss.source})` : ''} ${loss.item}: ${loss.reason}\n`);
        io.stderr(`converted ${report.documents} document(s) from ${from} to ${to}: ${report.losses.length} item(s) the target format cannot carry\n`);
        return EXIT.ok;
      }
      default: {
        const studioCommand = studio[command];
        if (studioCommand) return await studioCommand(rest, io);
        if ((STUDIO_COMMANDS as readonly string[]).includes(command)) {
          throw new UsageError(`${command} works on a studio's database: run it as \`pnpm warrant ${command} ...\` from the repository root`);
        }
        throw new UsageError(`unknown command '${command}'`);
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`warrant: ${error.message}\n\n${USAGE}\n`);
      return EXIT.usage;
    }
    if (error instanceof FormatError) {
      for (const p of error.problems) io.stderr(`${p.file}${p.line !== undefined ? `:${p.line}` : ''}${p.element ? ` (${p.element})` : ''}: ${p.message}\n`);
      return EXIT.badInput;
    }
    // File system refusals (missing, not a folder, no permission, disk full...): the input or output is wrong.
    if (error instanceof Error && 'code' in error && typeof error.code === 'string' && /^E[A-Z]+$/.test(error.code)) {
      io.stderr(`warrant: ${error.message}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
}
