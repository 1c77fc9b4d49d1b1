import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '#config';
import { createDataSource } from '#database';
import type { OrganisationEntity } from '#identity';
import type { DataSource } from 'typeorm';
import { CliModule } from '../../apps/cli/src/cli.module.js';
import { runCli } from '../../apps/cli/src/run-cli.js';
import { ENTITIES, MIGRATIONS } from '../../migrations/schema.js';
import { createOrganisation } from '../factories/index.js';
import { createTestIdp, type TestIdp } from '../support/saml-idp.js';
import { freshDatabaseUrl } from '../support/database.js';

/**
 * `idp:configure` of the operator CLI (issue 4, point 1), run in-process against a fresh database as
 * `npm run cli -- …` runs it: the exit status (0 done, 1 refused, 2 usage), what it prints, and the identity_provider
 * and audit_event rows it leaves (none on a refusal).
 */

const APP_SECRET = 'x'.repeat(32);

interface CliRun {
  status: number;
  out: string[];
  err: string[];
  stderr: string;
}

interface LocalServer {
  url: string;
  connections: number;
  paths: string[];
  close(): Promise<void>;
}

/** A loopback HTTP server serving `xml` on every path, recording connections and request paths. */
async function metadataServer(xml: string): Promise<LocalServer> {
  const state = { connections: 0, paths: [] as string[] };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    state.paths.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' });
    res.end(xml);
  });
  server.on('connection', () => {
    state.connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get connections() {
      return state.connections;
    },
    get paths() {
      return state.paths;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('operator CLI: idp:configure', () => {
  let url: string;
  let dataSource: DataSource;
  let app: INestApplicationContext;
  let idp: TestIdp;
  let dir: string;

  beforeAll(async () => {
    [url, idp] = await Promise.all([
      freshDatabaseUrl(),
      createTestIdp({ entityId: 'https://sts.windows.net/0b1c2d3e/', ssoUrl: 'https://login.microsoftonline.test/0b1c2d3e/saml2', sloUrl: 'https://login.microsoftonline.test/0b1c2d3e/saml2/logout' }),
    ]);
    dataSource = await createDataSource({ url, entities: ENTITIES, migrations: MIGRATIONS, poolSize: 2 }).initialize();
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, APP_SECRET });
    app = await NestFactory.createApplicationContext(CliModule.forRoot(config, dataSource), { logger: false });
    dir = mkdtempSync(path.join(os.tmpdir(), 'pe-cli-idp-'));
  });
  afterAll(async () => {
    await app?.close();
    await dataSource?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function cli(args: string[], env: Record<string, string | undefined> = { DATABASE_URL: url, APP_SECRET }): Promise<CliRun> {
    const out: string[] = [];
    const err: string[] = [];
    const status = await runCli(args, { out: (line) => out.push(line), err: (line) => err.push(line), env });
    return { status, out, err, stderr: err.join('\n') };
  }

  /** Writes `xml` to a fresh file in the test's temporary directory; its path. */
  function metadataFile(xml: string): string {
    const file = path.join(dir, `metadata-${randomBytes(4).toString('hex')}.xml`);
    writeFileSync(file, xml);
    return file;
  }

  async function idps(organisationId: string): Promise<Record<string, any>[]> {
    return dataSource.query(
      `SELECT id, key, name, entity_id, sso_url, certificates, metadata_url, metadata_xml, want_authn_response_signed, sign_authn_requests, enabled
         FROM identity_provider WHERE organisation_id = $1 ORDER BY key`,
      [organisationId],
    );
  }
  async function audit(organisationId: string): Promise<Record<string, any>[]> {
    return dataSource.query(`SELECT actor_member_id, subject_type, subject_id, details FROM audit_event WHERE action = 'IDP_CHANGED' AND organisation_id = $1 ORDER BY occurred_at, id`, [
      organisationId,
    ]);
  }
  async function counts(): Promise<{ idps: number; audit: number }> {
    const [row] = await dataSource.query('SELECT (SELECT count(*)::int FROM identity_provider) AS idps, (SELECT count(*)::int FROM audit_event) AS audit');
    return row;
  }

  const newOrg = (): Promise<OrganisationEntity> => createOrganisation(app);

  it('--metadata-file creates the IdP: exit 0, a message naming it, the row and an IDP_CHANGED event by no member', async () => {
    const org = await newOrg();
    const run = await cli(['idp:configure', '--org', org.slug, '--metadata-file', metadataFile(idp.metadataXml), '--key', 'entra', '--name', 'Council Entra ID']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.out).toHaveLength(1);
    expect(run.out[0]).toContain('entra');
    expect(run.out[0]).toContain(org.slug);
    expect(run.out[0]).toContain(idp.entityId);
    expect(run.out[0]).toMatch(/1 signing certificate/);

    const rows = await idps(org.id);
    expect(rows).toEqual([
      {
        id: expect.any(String),
        key: 'entra',
        name: 'Council Entra ID',
        entity_id: idp.entityId,
        sso_url: idp.ssoUrl,
        certificates: [idp.certificateBase64],
        metadata_url: null,
        metadata_xml: idp.metadataXml,
        want_authn_response_signed: true,
        sign_authn_requests: false,
        enabled: true,
      },
    ]);
    expect(await audit(org.id)).toEqual([
      { actor_member_id: null, subject_type: 'IdentityProvider', subject_id: rows[0]!.id, details: expect.objectContaining({ key: 'entra', entityId: idp.entityId, created: true }) },
    ]);
  });

  it('without --key configures "main", and running it again updates the same IdP', async () => {
    const org = await newOrg();
    const first = await cli(['idp:configure', '--org', org.slug, '--metadata-file', metadataFile(idp.metadataXml)]);
    expect(first.status).toBe(0);
    const rollover = idp.metadataWithCertificates([idp.certificate, idp.otherKey.certificate]);
    const second = await cli(['idp:configure', '--org', org.slug, '--metadata-file', metadataFile(rollover)]);
    expect(second.stderr).toBe('');
    expect(second.status).toBe(0);
    expect(second.out[0]).toMatch(/2 signing certificate/);

    const rows = await idps(org.id);
    expect(rows.map((r) => [r.key, r.certificates.length, r.metadata_xml])).toEqual([['main', 2, rollover]]);
    expect((await audit(org.id)).map((a) => [a.subject_id, a.details.created])).toEqual([
      [rows[0]!.id, true],
      [rows[0]!.id, false],
    ]);
  });

  it('--metadata-url with OUTBOUND_ALLOW_PRIVATE_NETWORKS=true fetches the metadata from a local server and stores the URL', async () => {
    const server = await metadataServer(idp.metadataXml);
    try {
      const org = await newOrg();
      const metadataUrl = `${server.url}/federationmetadata/2007-06/federationmetadata.xml`;
      const run = await cli(['idp:configure', '--org', org.slug, '--metadata-url', metadataUrl], { DATABASE_URL: url, APP_SECRET, OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.out[0]).toContain(idp.entityId);
      expect(server.paths).toEqual(['/federationmetadata/2007-06/federationmetadata.xml']);
      const rows = await idps(org.id);
      expect(rows).toEqual([expect.objectContaining({ key: 'main', entity_id: idp.entityId, metadata_url: metadataUrl, metadata_xml: idp.metadataXml })]);
      expect(await audit(org.id)).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  describe('refuses, and writes nothing', () => {
    it('--metadata-url to a loopback server without OUTBOUND_ALLOW_PRIVATE_NETWORKS: exit 1, and the server receives nothing', async () => {
      const server = await metadataServer(idp.metadataXml);
      try {
        const org = await newOrg();
        const before = await counts();
        const run = await cli(['idp:configure', '--org', org.slug, '--metadata-url', `${server.url}/metadata`]);
        expect(run.status).toBe(1);
        expect(run.stderr).toMatch(/metadataUrl/);
        expect(run.stderr).toMatch(/OUTBOUND_ALLOW_PRIVATE_NETWORKS/);
        expect(run.out).toEqual([]);
        expect(server.connections).toBe(0);
        expect(await counts()).toEqual(before);
      } finally {
        await server.close();
      }
    });

    it.each<[string, (slug: string, file: string) => string[], RegExp]>([
      ['both --metadata-file and --metadata-url', (slug, file) => ['idp:configure', '--org', slug, '--metadata-file', file, '--metadata-url', 'https://idp.council.test/metadata'], /exactly one of --metadata-file and --metadata-url/],
      ['neither --metadata-file nor --metadata-url', (slug) => ['idp:configure', '--org', slug], /exactly one of --metadata-file and --metadata-url/],
      ['a --metadata-file that does not exist', (slug) => ['idp:configure', '--org', slug, '--metadata-file', '/nonexistent/pe-idp-metadata.xml'], /--metadata-file.*\/nonexistent\/pe-idp-metadata\.xml/],
      ['no --org', (_slug, file) => ['idp:configure', '--metadata-file', file], /Missing --org/],
      ['an unknown flag', (slug, file) => ['idp:configure', '--org', slug, '--metadata-file', file, '--colour', 'blue'], /Unknown flag --colour/],
    ])('%s: exit 2 with the usage', async (_name, args, message) => {
      const org = await newOrg();
      const before = await counts();
      const run = await cli(args(org.slug, metadataFile(idp.metadataXml)));
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(/idp:configure +--org/);
      expect(run.out).toEqual([]);
      expect(await counts()).toEqual(before);
      expect(await idps(org.id)).toEqual([]);
    });

    // The API accepts only lower-case letters, digits and hyphens as a key (ConfigureIdentityProviderInput.key), as
    // org:create does for --slug; a key the API refuses could not be updated through the API afterwards.
    it.each([['Entra ID'], ['Main'], ['k'.repeat(65)]])('--key %j (not lower-case letters, digits and hyphens): exit 2 naming --key', async (key) => {
      const org = await newOrg();
      const before = await counts();
      const run = await cli(['idp:configure', '--org', org.slug, '--metadata-file', metadataFile(idp.metadataXml), '--key', key]);
      expect({ status: run.status, out: run.out }).toEqual({ status: 2, out: [] });
      expect(run.stderr).toContain('--key');
      expect(await counts()).toEqual(before);
      expect(await idps(org.id)).toEqual([]);
    });

    it('an unknown --org: exit 1 naming it', async () => {
      const before = await counts();
      const slug = `nowhere-${randomBytes(4).toString('hex')}`;
      const run = await cli(['idp:configure', '--org', slug, '--metadata-file', metadataFile(idp.metadataXml)]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(slug);
      expect(run.out).toEqual([]);
      expect(await counts()).toEqual(before);
    });

    it.each<[string, (i: TestIdp) => string, RegExp]>([
      ['not XML', () => 'hello, this is not metadata', /not well-formed XML/],
      ['a DOCTYPE', (i) => `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${i.metadataXml}`, /DOCTYPE/],
      ['no signing certificate', (i) => i.metadataWithCertificates([]), /no signing certificate/],
      ['an http:// SSO URL', (i) => i.metadataXml.replace(i.ssoUrl, 'http://login.microsoftonline.test/sso'), /not https/],
      ['nothing at all (an empty file)', () => '', /empty/],
    ])('metadata with %s: exit 1 naming the problem', async (_name, metadata, problem) => {
      const org = await newOrg();
      const before = await counts();
      const run = await cli(['idp:configure', '--org', org.slug, '--metadata-file', metadataFile(metadata(idp))]);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(problem);
      expect(run.out).toEqual([]);
      expect(await counts()).toEqual(before);
      expect(await idps(org.id)).toEqual([]);
    });
  });
});
