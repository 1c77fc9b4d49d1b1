import { Role, type OrganisationEntity } from '#identity';
import { createMember, createOrganisation, type TestMember } from '../factories/index.js';
import { createTestIdp, type TestIdp } from './saml-idp.js';
import { errorCode, startTestApp, type GraphqlResponse, type TestApp } from './test-app.js';

/** What the identity-provider specs (identity-providers-*.e2e-spec.ts) share: GraphQL documents, table readers and steps. */

export const CONFIGURE = `mutation($input: ConfigureIdentityProviderInput!) {
  configureIdentityProvider(input: $input) {
    id key name entityId ssoUrl sloUrl certificateCount metadataUrl metadataRefreshedAt metadataError
    wantAuthnResponseSigned wantAssertionsSigned signAuthnRequests enabled
  }
}`;
export const DISCOVER = `query($emailDomain: String!) { identityProviders(emailDomain: $emailDomain) { organisation { slug name } key name loginUrl } }`;
export const NODE = `query($id: ID!) { node(id: $id) { __typename ... on IdentityProvider { id key entityId } } }`;

/** An IdP row as stored, the columns these tests care about. */
export interface IdpRow {
  id: string;
  key: string;
  name: string;
  entity_id: string;
  sso_url: string;
  slo_url: string | null;
  certificates: string[];
  metadata_url: string | null;
  metadata_xml: string | null;
  metadata_refreshed_at: Date | null;
  metadata_error: string | null;
  want_authn_response_signed: boolean;
  want_assertions_signed: boolean;
  sign_authn_requests: boolean;
  attribute_mapping: Record<string, unknown>;
  enabled: boolean;
}

/** Table helpers bound to one test app. */
export function db(t: TestApp) {
  return {
    async idps(organisationId: string): Promise<IdpRow[]> {
      return t.dataSource.query(
        `SELECT id, key, name, entity_id, sso_url, slo_url, certificates, metadata_url, metadata_xml, metadata_refreshed_at, metadata_error,
                want_authn_response_signed, want_assertions_signed, sign_authn_requests, attribute_mapping, enabled
           FROM identity_provider WHERE organisation_id = $1 ORDER BY key`,
        [organisationId],
      );
    },
    async audit(organisationId: string): Promise<{ actor_member_id: string | null; subject_type: string; subject_id: string; details: Record<string, any> }[]> {
      return t.dataSource.query(
        `SELECT actor_member_id, subject_type, subject_id, details FROM audit_event WHERE action = 'IDP_CHANGED' AND organisation_id = $1 ORDER BY occurred_at, id`,
        [organisationId],
      );
    },
    /** Rows in every table a refused configuration must leave alone. */
    async counts(): Promise<{ idps: number; idpAudit: number }> {
      const [row] = await t.dataSource.query(`SELECT (SELECT count(*)::int FROM identity_provider) AS idps,
        (SELECT count(*)::int FROM audit_event WHERE action = 'IDP_CHANGED') AS "idpAudit"`);
      return row;
    },
  };
}

/** The IdP metadata with WantAuthnRequestsSigned="true". */
export const wantingSignedRequests = (xml: string) => xml.replace('WantAuthnRequestsSigned="false"', 'WantAuthnRequestsSigned="true"');

/** Steps of the identity-provider specs against the running test app: an organisation with its admin, configuring, and a refusal that writes nothing. */
export function idpSteps(app: () => TestApp) {
  /** An organisation with an admin (every token scope). */
  async function orgWithAdmin(): Promise<{ org: OrganisationEntity; admin: TestMember }> {
    const org = await createOrganisation(app().app);
    return { org, admin: await createMember(app().app, org, [Role.ORG_ADMIN]) };
  }

  const configure = (token: string | undefined, input: Record<string, unknown>) => app().gql(CONFIGURE, { input }, token);

  /** Asserts the call was refused with `code` and that no IdP row or IDP_CHANGED event was written. */
  async function expectRefusedAndNothingWritten(call: () => Promise<GraphqlResponse>, code: string, message?: RegExp): Promise<GraphqlResponse> {
    const before = await db(app()).counts();
    const res = await call();
    expect({ code: errorCode(res), data: res.data?.configureIdentityProvider ?? null }).toEqual({ code, data: null });
    if (message) expect(res.errors![0]!.message).toMatch(message);
    expect(await db(app()).counts()).toEqual(before);
    return res;
  }

  return { orgWithAdmin, configure, expectRefusedAndNothingWritten };
}

/**
 * The set-up every identity-provider spec repeats: the test app and two test IdPs (a council's and an ADFS), the app
 * closed after. `started` receives them once they run; the identity-provider steps are returned.
 */
export function identityProvidersSuite(started: (running: { t: TestApp; idp: TestIdp; secondIdp: TestIdp; tables: ReturnType<typeof db> }) => void) {
  let t: TestApp | undefined;
  beforeAll(async () => {
    let idp: TestIdp;
    let secondIdp: TestIdp;
    [t, idp, secondIdp] = await Promise.all([
      startTestApp(),
      createTestIdp({ entityId: 'https://idp.council.test/saml', ssoUrl: 'https://idp.council.test/sso', sloUrl: 'https://idp.council.test/slo' }),
      createTestIdp({
        entityId: 'https://adfs.council.test/adfs/services/trust',
        ssoUrl: 'https://adfs.council.test/adfs/ls/',
        sloUrl: 'https://adfs.council.test/adfs/ls/?wa=signout1.0',
      }),
    ]);
    started({ t, idp, secondIdp, tables: db(t) });
  });
  afterAll(() => t?.close());
  return idpSteps(() => t!);
}
