import { hash, verify } from '@node-rs/argon2';
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

export function checkPasswordPolicy(password: string, username?: string): void {
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || (username !== undefined && lower.includes(username.toLowerCase()) && username.length >= 3)) {
    throw new AppError(400, 'WEAK_PASSWORD', 'this password is too easy to guess: choose another one', {
      issues: [{ path: 'password', message: 'too common or contains the username' }],
    });
  }
  if (new Set(password).size < 3) {
    throw new AppError(400, 'WEAK_PASSWORD', 'this password repeats too few characters: choose another one', {
      issues: [{ path: 'password', message: 'too few distinct characters' }],
    });
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
