import type { Profile } from '@node-saml/node-saml';
import { IDP_ASSIGNABLE_ROLES, type Role } from '../auth/permissions.js';
import type { AttributeMapping } from './identity-provider.entity.js';

/** Where common IdPs put each value: Entra ID/ADFS claim URIs, urn:oid names, and the friendly names of Shibboleth and SimpleSAMLphp. */
export const DEFAULT_ATTRIBUTES: Required<Pick<AttributeMapping, 'email' | 'displayName' | 'givenName' | 'surname'>> & { principalName: string[] } = {
  email: ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress', 'urn:oid:0.9.2342.19200300.100.1.3', 'mail', 'email'],
  principalName: ['urn:oid:1.3.6.1.4.1.5923.1.1.1.6', 'eduPersonPrincipalName', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn'],
  displayName: [
    'http://schemas.microsoft.com/identity/claims/displayname',
    'urn:oid:2.16.840.1.113730.3.1.241',
    'displayName',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  ],
  givenName: ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname', 'urn:oid:2.5.4.42', 'givenName'],
  surname: ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname', 'urn:oid:2.5.4.4', 'sn'],
};

export const NAMEID_FORMAT = {
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  transient: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
  email: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
};

/** NameID formats that name the same person at every sign-in. */
export const LASTING_NAMEID_FORMATS = [NAMEID_FORMAT.persistent, NAMEID_FORMAT.email, NAMEID_FORMAT.unspecified];

function first(profile: Profile, names: string[]): string | undefined {
  for (const name of names) {
    const value = profile[name];
    const text = Array.isArray(value) ? value[0] : value;
    if (typeof text === 'string' && text.trim()) return text.trim();
  }
  return undefined;
}

function all(profile: Profile, name: string): string[] {
  const value = profile[name];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export interface MappedIdentity {
  email: string | undefined;
  name: string | undefined;
  roles: Role[];
}

/** Reads e-mail, name and roles from a validated profile by the IdP's mapping, falling back to the defaults. */
export function mapProfile(profile: Profile, mapping: AttributeMapping): MappedIdentity {
  const emailFromNameId = profile.nameIDFormat === NAMEID_FORMAT.email || EMAIL.test(profile.nameID) ? profile.nameID : undefined;
  const email = first(profile, mapping.email ?? DEFAULT_ATTRIBUTES.email) ?? first(profile, DEFAULT_ATTRIBUTES.principalName) ?? emailFromNameId;
  const given = first(profile, mapping.givenName ?? DEFAULT_ATTRIBUTES.givenName);
  const surname = first(profile, mapping.surname ?? DEFAULT_ATTRIBUTES.surname);
  const name = first(profile, mapping.displayName ?? DEFAULT_ATTRIBUTES.displayName) ?? ([given, surname].filter(Boolean).join(' ') || undefined);
  const roles = new Set<Role>();
  if (mapping.roles) {
    for (const value of all(profile, mapping.roles)) {
      const role = (mapping.roleValues ?? {})[value] ?? value;
      // An IdP never grants more than ORG_ADMIN, nor MODERATOR, which reaches every organisation's content.
      if ((IDP_ASSIGNABLE_ROLES as string[]).includes(role)) roles.add(role as Role);
    }
  }
  return { email: email && EMAIL.test(email) ? email.toLowerCase() : undefined, name, roles: [...roles] };
}
