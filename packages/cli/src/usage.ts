/** Exit codes: 0 done, 1 the input is wrong (the message says where), 2 the command line is wrong. */
export const EXIT = { ok: 0, badInput: 1, usage: 2 } as const;

export const USAGE = `warrant: Warrant's datasets without a server

Usage:
  warrant convert --from <format> --to <format> [--language en|de|ru] [--source <name>] <input> <output>
      Converts a file or a folder of files. Formats:
        read:  semantic-jsonl, brat, aif, arg-microtext
        write: semantic-jsonl, brat, aif, conll, csv
      What a format cannot carry is listed on stderr, item by item (and in <output>.losses.json).
  warrant agreement <semantic.jsonl>
      Prints the agreement report of every passage annotated by two or more sources, as JSON.
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
