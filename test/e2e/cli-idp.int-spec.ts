import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '#config';
import { createDataSource } from '#database';
import { certificateFacts, type OrganisationEntity } from '#identity';
import type { DataSource } from 'typeorm';
import { CliModule } from '../../apps/cli/src/cli.module.js';
import { runCli } from '../../apps/cli/src/run-cli.js';
import { ENTITIES, MIGRATIONS } from '../../migrations/schema.js';
import { createOrganisation } from '../factories/index.js';
import { certificateBody, createTestIdp, type TestIdp } from '../support/saml-idp.js';
import { freshDatabaseUrl } from '../support/database.js';
import { metadataAnswer, startHttpPeer } from '../support/http-peer.js';
import { unique } from '../support/unique.js';

/**
 * `idp:configure`, `idp:list` and `idp:refresh` of the operator CLI, run in-process against a fresh database as
 * `npm run cli -- …` runs them: the exit status (0 done, 1 refused, 2 usage), what they print, and the
 * identity_provider and audit_event rows they leave (none on a refusal).
 */

const APP_SECRET = 'x'.repeat(32);

interface CliRun {
  status: number;
  out: string[];
  err: string[];
  stderr: string;
}

describe('operator CLI: idp:configure, idp:list and idp:refresh', () => {
  let url: string;
  let dataSource: DataSource;
  let app: INestApplicationContext;
  let idp: TestIdp;
  let dir: string;

  beforeAll(async () => {
    [url, idp] = await Promise.all([
      freshDatabaseUrl(),
      createTestIdp({
        entityId: 'https://sts.windows.net/0b1c2d3e/',
        ssoUrl: 'https://login.microsoftonline.test/0b1c2d3e/saml2',
        sloUrl: 'https://login.microsoftonline.test/0b1c2d3e/saml2/logout',
      }),
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
    const file = path.join(dir, `metadata-${unique()}.xml`);
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
    return dataSource.query(
      `SELECT actor_member_id, subject_type, subject_id, details FROM audit_event WHERE action = 'IDP_CHANGED' AND organisation_id = $1 ORDER BY occurred_at, id`,
      [organisationId],
    );
  }
  async function counts(): Promise<{ idps: number; audit: number }> {
    const [row] = await dataSource.query('SELECT (SELECT count(*)::int FROM identity_provider) AS idps, (SELECT count(*)::int FROM audit_event) AS audit');
    return row;
  }

  const newOrg = (): Promise<OrganisationEntity> => createOrganisation(app);

  it('--metadata-file creates the IdP: exit 0, a message naming it, the row and an IDP_CHANGED event by no member', async () => {
    const org = await newOrg();
    const run = await cli([
      'idp:configure',
      '--org',
      org.slug,
      '--metadata-file',
      metadataFile(idp.metadataXml),
      '--key',
      'entra',
      '--name',
      'Council Entra ID',
    ]);
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
      {
        actor_member_id: null,
        subject_type: 'IdentityProvider',
        subject_id: rows[0]!.id,
        details: expect.objectContaining({ key: 'entra', entityId: idp.entityId, created: true }),
      },
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
    const server = await startHttpPeer({ answer: metadataAnswer(idp.metadataXml) });
    try {
      const org = await newOrg();
      const metadataUrl = `${server.url}/federationmetadata/2007-06/federationmetadata.xml`;
      const run = await cli(['idp:configure', '--org', org.slug, '--metadata-url', metadataUrl], {
        DATABASE_URL: url,
        APP_SECRET,
        OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true',
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.out[0]).toContain(idp.entityId);
      expect(server.requests.map((r) => r.url)).toEqual(['/federationmetadata/2007-06/federationmetadata.xml']);
      const rows = await idps(org.id);
      expect(rows).toEqual([expect.objectContaining({ key: 'main', entity_id: idp.entityId, metadata_url: metadataUrl, metadata_xml: idp.metadataXml })]);
      expect(await audit(org.id)).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  describe('refuses, and writes nothing', () => {
    it('--metadata-url to a loopback server without OUTBOUND_ALLOW_PRIVATE_NETWORKS: exit 1, and the server receives nothing', async () => {
      const server = await startHttpPeer({ answer: metadataAnswer(idp.metadataXml) });
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
      [
        'both --metadata-file and --metadata-url',
        (slug, file) => ['idp:configure', '--org', slug, '--metadata-file', file, '--metadata-url', 'https://idp.council.test/metadata'],
        /exactly one of --metadata-file and --metadata-url/,
      ],
      ['neither --metadata-file nor --metadata-url', (slug) => ['idp:configure', '--org', slug], /exactly one of --metadata-file and --metadata-url/],
      [
        'a --metadata-file that does not exist',
        (slug) => ['idp:configure', '--org', slug, '--metadata-file', '/nonexistent/pe-idp-metadata.xml'],
        /--metadata-file.*\/nonexistent\/pe-idp-metadata\.xml/,
      ],
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
      const slug = `nowhere-${unique()}`;
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

  describe('idp:list', () => {
    it("shows each IdP's name, entity ID, key, metadata source, certificate expiry and whether its trust is confirmed", async () => {
      const org = await newOrg();
      const server = await startHttpPeer({ answer: metadataAnswer(idp.metadataXml) });
      try {
        expect((await cli(['idp:configure', '--org', org.slug, '--metadata-file', metadataFile(idp.metadataXml), '--name', 'Council Entra ID'])).status).toBe(
          0,
        );
        const fetched = await cli(['idp:configure', '--org', org.slug, '--key', 'adfs', '--metadata-url', `${server.url}/metadata`], {
          DATABASE_URL: url,
          APP_SECRET,
          OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true',
        });
        expect(fetched.status).toBe(0);
      } finally {
        await server.close();
      }
      // An organisation admin's change of trust, which no platform admin confirmed yet.
      await dataSource.query(`UPDATE identity_provider SET trust_changed_at = now(), trust_confirmed_at = NULL WHERE organisation_id = $1 AND key = 'adfs'`, [
        org.id,
      ]);
      const before = await counts();

      const run = await cli(['idp:list', '--org', org.slug]);
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
      const text = run.out.join('\n');
      const [adfs, main] = text.split(/\n(?=\S)/);
      const facts = certificateFacts(idp.certificateBase64);
      expect(main).toContain(`${org.slug} main: Council Entra ID`);
      expect(main).toContain(idp.entityId);
      expect(main).toMatch(/metadata: +a file/);
      expect(main).toContain(`valid until ${facts.validTo!.toISOString().slice(0, 10)}`);
      expect(main).toContain(facts.fingerprint);
      expect(main).toMatch(/trust: +confirmed/);
      expect(adfs).toContain(`${org.slug} adfs:`);
      expect(adfs).toContain(`${server.url}/metadata`);
      expect(adfs).toMatch(/trust: +NOT CONFIRMED/);
      expect(await counts()).toEqual(before);

      // Without --org: every organisation's, this one's among them.
      const all = await cli(['idp:list']);
      expect(all.status).toBe(0);
      expect(all.out).toEqual(expect.arrayContaining([`${org.slug} main: Council Entra ID`]));
    });

    it('says so when an organisation has none; an unknown --org is exit 1, an unknown flag exit 2', async () => {
      const org = await newOrg();
      expect(await cli(['idp:list', '--org', org.slug])).toMatchObject({ status: 0, out: [`${org.slug} has no identity providers.`] });
      const unknown = await cli(['idp:list', '--org', 'no-such-org']);
      expect({ status: unknown.status, out: unknown.out }).toEqual({ status: 1, out: [] });
      expect(unknown.stderr).toContain('no-such-org');
      expect((await cli(['idp:list', '--key', 'main'])).status).toBe(2);
    });
  });

  describe('idp:refresh', () => {
    const privateNetworks = () => ({ DATABASE_URL: url, APP_SECRET, OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' });

    it('fetches the metadata URL now and says what changed: a rollover certificate added, audited as the scheduled refresh is; then no change', async () => {
      const org = await newOrg();
      const server = await startHttpPeer({ answer: metadataAnswer(idp.metadataXml) });
      try {
        expect((await cli(['idp:configure', '--org', org.slug, '--metadata-url', `${server.url}/metadata`], privateNetworks())).status).toBe(0);
        const [configured] = await idps(org.id);
        server.answer = metadataAnswer(idp.metadataWithCertificates([idp.certificate, idp.otherKey.certificate]));

        const run = await cli(['idp:refresh', '--org', org.slug], privateNetworks());
        expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
        expect(run.out).toEqual([
          `${org.slug} main: refreshed from ${server.url}/metadata: signing certificate added (SHA-256 ${certificateFacts(certificateBody(idp.otherKey.certificate)).fingerprint}).`,
        ]);
        const [row] = await idps(org.id);
        expect(row!.certificates).toEqual([idp.certificateBase64, certificateBody(idp.otherKey.certificate)]);
        const [{ metadata_error, metadata_refreshed_at }] = await dataSource.query(
          'SELECT metadata_error, metadata_refreshed_at FROM identity_provider WHERE id = $1',
          [configured!.id],
        );
        expect(metadata_error).toBeNull();
        expect(metadata_refreshed_at.getTime()).toBeGreaterThan(Date.now() - 60_000);
        expect((await audit(org.id)).at(-1)).toEqual({
          actor_member_id: null,
          subject_type: 'IdentityProvider',
          subject_id: configured!.id,
          details: { key: 'main', certificates: 2, reason: 'metadata refresh' },
        });

        const events = (await audit(org.id)).length;
        const again = await cli(['idp:refresh', '--org', org.slug, '--key', 'main'], privateNetworks());
        expect(again).toMatchObject({ status: 0, out: [`${org.slug} main: refreshed from ${server.url}/metadata: no change.`] });
        expect(await audit(org.id)).toHaveLength(events);
      } finally {
        await server.close();
      }
    });

    it('metadata naming another entity ID: exit 1 with the reason, recorded on the IdP, and the metadata in force stays', async () => {
      const org = await newOrg();
      const server = await startHttpPeer({ answer: metadataAnswer(idp.metadataXml) });
      try {
        expect((await cli(['idp:configure', '--org', org.slug, '--metadata-url', `${server.url}/metadata`], privateNetworks())).status).toBe(0);
        const [before] = await idps(org.id);
        server.answer = metadataAnswer(idp.metadataXml.replaceAll(idp.entityId, 'https://elsewhere.test/saml'));
        const events = (await audit(org.id)).length;

        const run = await cli(['idp:refresh', '--org', org.slug], privateNetworks());
        expect({ status: run.status, out: run.out }).toEqual({ status: 1, out: [] });
        expect(run.stderr).toContain('https://elsewhere.test/saml');
        expect(run.stderr).toContain('metadata in force stays');
        const [after] = await idps(org.id);
        expect(after).toEqual(before);
        const [{ metadata_error }] = await dataSource.query('SELECT metadata_error FROM identity_provider WHERE id = $1', [before!.id]);
        expect(metadata_error).toContain('https://elsewhere.test/saml');
        expect(await audit(org.id)).toHaveLength(events);
      } finally {
        await server.close();
      }
    });

    it('refuses an IdP configured from a file, an unknown key or organisation (exit 1), and a missing --org (exit 2), changing nothing', async () => {
      const org = await newOrg();
      expect((await cli(['idp:configure', '--org', org.slug, '--metadata-file', metadataFile(idp.metadataXml)])).status).toBe(0);
      const [before] = await idps(org.id);
      const cases: [string[], number, RegExp][] = [
        [['idp:refresh', '--org', org.slug, '--key', 'main'], 1, /metadata file, not a URL/],
        [['idp:refresh', '--org', org.slug], 1, /no identity provider configured from a metadata URL/],
        [['idp:refresh', '--org', org.slug, '--key', 'adfs'], 1, /no identity provider with the key "adfs".*main/],
        [['idp:refresh', '--org', 'no-such-org'], 1, /no-such-org/],
        [['idp:refresh', '--key', 'main'], 2, /Missing --org/],
      ];
      for (const [args, status, message] of cases) {
        const counted = await counts();
        const run = await cli(args);
        expect({ args, status: run.status, out: run.out }).toEqual({ args, status, out: [] });
        expect(run.stderr).toMatch(message);
        expect(await counts()).toEqual(counted);
      }
      expect(await idps(org.id)).toEqual([before]);
    });
  });
});
