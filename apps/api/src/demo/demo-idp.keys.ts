import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import selfsigned from 'selfsigned';

/** The demo IdP's key pair (a class, so Nest can inject it). */
export class DemoIdpKeys {
  constructor(
    readonly privateKey: string,
    readonly certificate: string,
  ) {}
}

/** The demo IdP's key pair, made once under the data folder so the configured metadata stays valid. */
export async function demoIdpKeys(dataDir: string): Promise<DemoIdpKeys> {
  const folder = path.join(dataDir, 'demo-idp');
  const keyFile = path.join(folder, 'idp.key');
  const certFile = path.join(folder, 'idp.crt');
  if (!existsSync(keyFile) || !existsSync(certFile)) {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'Practice Exchange demo IdP' }], {
      keySize: 2048,
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + 10 * 365 * 86_400_000),
    });
    writeFileSync(certFile, pems.cert);
    writeFileSync(keyFile, pems.private, { mode: 0o600 });
  }
  return new DemoIdpKeys(readFileSync(keyFile, 'utf8'), readFileSync(certFile, 'utf8'));
}
