import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where demo mode keeps the APP_SECRET it generated, so sessions and signed links survive a restart. */
export function demoSecretFile(dataDir: string): string {
  return path.join(dataDir, 'app-secret');
}

/** The secret kept under the data folder, or a new one (kept only once {@link writeDemoSecret} writes it). */
export function readDemoSecret(dataDir: string): string {
  try {
    return readFileSync(demoSecretFile(dataDir), 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return randomBytes(32).toString('base64url');
  }
}

/**
 * Keeps `secret` under the data folder, readable by its owner only, unless a secret is kept there already.
 * @returns the secret kept: `secret`, or the one another process wrote first.
 */
export function writeDemoSecret(dataDir: string, secret: string): string {
  const file = demoSecretFile(dataDir);
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(file, 'utf8').trim();
  }
}
