import { hash, verify } from '@node-rs/argon2';
import { PASSWORD_MIN_LENGTH } from '@warrant/contracts';
import { AppError } from '../../lib/errors.ts';

// OWASP's recommended argon2id parameters (19 MiB, 2 iterations, 1 lane). `algorithm: 2` is
// Algorithm.Argon2id: a const enum that verbatimModuleSyntax cannot import.
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Refused outright: the most common passwords of public breach lists, and this product's name. */
const COMMON = new Set(
  [
    '12345678', '123456789', '1234567890', 'password', 'password1', 'password123', 'passw0rd', 'qwertyui',
    'qwerty123', 'qwertyuiop', '11111111', '00000000', 'iloveyou', 'sunshine', 'princess', 'football',
    'baseball', 'welcome1', 'abc12345', 'abcd1234', 'letmein1', 'trustno1', 'superman', 'starwars',
    'admin123', 'administrator', 'changeme', 'whatever', 'dragon123', 'monkey123', '1q2w3e4r', '1qaz2wsx',
    'zaq12wsx', 'q1w2e3r4', 'asdfghjk', 'asdf1234', 'zxcvbnm1', 'computer', 'internet', 'michelle',
    'jennifer', 'shadow12', 'master12', 'warrant1', 'warrant123', 'annotator', 'йцукенгш', 'пароль123',
  ].map((p) => p.toLowerCase()),
);

/**
 * Words that, dressed up with capitals, look-alike digits and a few digits or symbols around them
 * ("P@ssw0rd!", "Winter2024!", "Welcome1"), make the guesses a password spray tries first.
 */
const COMMON_WORDS = new Set([
  'password', 'passwort', 'pass', 'qwerty', 'qwertz', 'azerty', 'letmein', 'welcome', 'iloveyou', 'admin',
  'administrator', 'login', 'master', 'hello', 'monkey', 'dragon', 'freedom', 'whatever', 'trustno', 'sunshine',
  'princess', 'football', 'baseball', 'superman', 'starwars', 'shadow', 'secret', 'changeme', 'summer', 'winter',
  'spring', 'autumn', 'fall', 'warrant', 'annotator', 'пароль',
]);
const LOOK_ALIKES: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i' };
/** Runs a person types without thinking: a keyboard row, the alphabet, counting up or down. */
const RUNS = ['abcdefghijklmnopqrstuvwxyz', 'qwertyuiopasdfghjklzxcvbnm', '01234567890', 'йцукенгшщзхъфывапролджэячсмитьбю'];

/** The word under the decoration: outer digits and symbols dropped, look-alikes read as letters. */
function core(lower: string): string {
  const stripped = lower.replace(/^[\p{N}\p{P}\p{S}\p{Z}]{0,6}/u, '').replace(/[\p{N}\p{P}\p{S}\p{Z}]{0,6}$/u, '');
  return Array.from(stripped, (ch) => LOOK_ALIKES[ch] ?? ch).join('');
}

function isRun(lower: string): boolean {
  return RUNS.some((run) => run.includes(lower) || [...run].reverse().join('').includes(lower));
}

const weak = (message: string, issue: string) =>
  new AppError(400, 'WEAK_PASSWORD', message, { issues: [{ path: 'password', message: issue }] });

/**
 * The policy for a new password (NIST SP 800-63B): at least 8 characters counted as code points
 * (an emoji is one character, not two), and not a known, decorated, sequential or personal one.
 * Nothing else: no composition rules, and the password is kept exactly as typed.
 */
export function checkPasswordPolicy(password: string, username?: string): void {
  if (Array.from(password).length < PASSWORD_MIN_LENGTH) {
    throw weak(`use at least ${PASSWORD_MIN_LENGTH} characters`, `at least ${PASSWORD_MIN_LENGTH} characters`);
  }
  const lower = password.toLowerCase();
  const word = core(lower);
  if (
    COMMON.has(lower) ||
    COMMON_WORDS.has(word) ||
    isRun(lower) ||
    (username !== undefined && lower.includes(username.toLowerCase()) && username.length >= 3)
  ) {
    throw weak('this password is too easy to guess: choose another one', 'too common or contains the username');
  }
  if (new Set(password).size < 3) {
    throw weak('this password repeats too few characters: choose another one', 'too few distinct characters');
  }
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spend the same work on an unknown username as on a wrong password, so timing tells nothing. */
export async function burnVerification(password: string): Promise<void> {
  dummyHash ??= hash('not-a-real-account-password', OPTIONS);
  await verifyPassword(await dummyHash, password);
}
