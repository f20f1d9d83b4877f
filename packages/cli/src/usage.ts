/** Exit codes: 0 done, 1 the input is wrong (the message says where), 2 the command line is wrong. */
export const EXIT = { ok: 0, badInput: 1, usage: 2 } as const;

export const USAGE = `warrant: Warrant's datasets, with or without a server

Usage:
  warrant convert --from <format> --to <format> [--language en|de|ru] [--source <name>] <input> <output>
      Converts a file or a folder of files. Formats:
        read:  semantic-jsonl, brat, aif, arg-microtext
        write: semantic-jsonl, brat, aif, conll, csv
      What a format cannot carry is listed on stderr, item by item (and in <output>.losses.json).
  warrant agreement <semantic.jsonl>
      Prints the agreement report of every passage annotated by two or more sources, as JSON.

  On a studio's database (--db: the data directory, or its warrant.sqlite; default WARRANT_DATA_DIR).
  The server may be running: each command is one transaction or one consistent snapshot.
  --project takes a project's id or exact name; --as the user acting (default: the first admin).
  warrant import --db <path> --project <p> [--format <f>] [--mode pre-annotations|annotator]
                 [--annotator <name>] [--source <name>] [--language en|de|ru] [--as <user>] <file or folder>
      Plain passages (txt, jsonl, csv), or an annotated corpus (semantic-jsonl, brat, aif,
      arg-microtext) as pre-annotations or as a named imported annotator. All or nothing.
  warrant export --db <path> --project <p> [--format jsonl|csv|conll|brat|aif] [--as <user>] <output>
      The studio's export, written to <output> (brat and aif: a .tar.gz).
  warrant release --db <path> --project <p> --name <name> [--source gold|all] [--labels a,b]
                  [--categories a,b] [--min-agreement <0..1>] [--splits 0.8,0.1,0.1] [--seed <s>]
                  [--description <text>] [--licence <text>] [--citation <text>] [--as <user>] [--out <file.tar.gz>]
      Cuts a release in the studio (listed there), prints its summary as JSON, and writes the
      bundle to --out when given.
  warrant backup --db <path> <folder>
      A consistent copy of a running studio (SQLite's online backup, then the release bundles),
      checked with integrity_check, with a backup.json (counts, SHA-256).
  warrant restore --db <data directory> <backup folder>
      Puts a backup in place; refused while the server or a command has the studio open. What was
      there is kept beside it (*.before-restore-<time>).
  warrant help
      This text.

Exit codes: 0 done, 1 bad input (the message names the file and line), 2 bad command line.`;

/** A wrong command line: exit code 2 with the message and a pointer to the usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
