import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '#config';
import selfsigned from 'selfsigned';

/** The service provider's signing and encryption key pair, and the next certificate during a rollover. */
export class SpKeys {
  constructor(
    readonly privateKey: string,
    readonly certificate: string,
    readonly nextCertificate: string | null,
  ) {}

  /** Base64 DER bodies, as metadata and node-saml want them. */
  get certificates(): string[] {
    return [this.certificate, ...(this.nextCertificate ? [this.nextCertificate] : [])].map(pemBody);
  }
}

export function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, '');
}

function checkedPem(file: string, name: string, kind: 'key' | 'cert'): string {
  const text = readFileSync(file, 'utf8');
  try {
    if (kind === 'key') createPrivateKey(text);
    else new X509Certificate(text);
  } catch {
    throw new Error(`${name}: ${file} is not a PEM ${kind === 'key' ? 'private key' : 'X.509 certificate'}`);
  }
  return text;
}

/**
 * Loads the SP key pair from SAML_SP_* files, or (outside production, when they are unset) generates one once
 * under the data folder so that IdPs keep trusting the same certificate across restarts.
 */
export async function loadSpKeys(config: AppConfig): Promise<SpKeys> {
  if (config.samlSpKeyFile && config.samlSpCertFile) {
    return new SpKeys(
      checkedPem(config.samlSpKeyFile, 'SAML_SP_KEY_FILE', 'key'),
      checkedPem(config.samlSpCertFile, 'SAML_SP_CERT_FILE', 'cert'),
      config.samlSpNextCertFile ? checkedPem(config.samlSpNextCertFile, 'SAML_SP_NEXT_CERT_FILE', 'cert') : null,
    );
  }
  const folder = path.join(config.dataDir, 'saml-sp');
  const keyFile = path.join(folder, 'sp.key');
  const certFile = path.join(folder, 'sp.crt');
  if (!existsSync(keyFile) || !existsSync(certFile)) {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'Practice Exchange SP' }], {
      keySize: 2048,
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + 10 * 365 * 86_400_000),
    });
    // Written aside and renamed, certificate first, so two processes starting at once never pair another's key.
    const staging = `${folder}/.${process.pid}`;
    writeFileSync(`${staging}.crt`, pems.cert);
    writeFileSync(`${staging}.key`, pems.private, { mode: 0o600 });
    if (!existsSync(keyFile)) {
      renameSync(`${staging}.crt`, certFile);
      renameSync(`${staging}.key`, keyFile);
    } else {
      rmSync(`${staging}.crt`);
      rmSync(`${staging}.key`);
    }
  }
  return new SpKeys(readFileSync(keyFile, 'utf8'), readFileSync(certFile, 'utf8'), null);
}
