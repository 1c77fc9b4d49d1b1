import { DOMParser, type Element } from '@xmldom/xmldom';

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';

/** Why a sign-in was refused; audited, and shown to the person with what to do. */
export class SamlRefusal extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'SamlRefusal';
  }
}

function parse(xml: string): Element {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new SamlRefusal('DOCTYPE', 'The response contains a DOCTYPE, which SAML never needs.');
  const document = new DOMParser({ onError: () => undefined }).parseFromString(xml, 'text/xml');
  const root = document.documentElement;
  if (!root) throw new SamlRefusal('MALFORMED', 'The response is not XML.');
  return root as unknown as Element;
}

function childrenNamed(parent: Element, ns: string, local: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    const el = node as unknown as Element;
    if (node.nodeType === 1 && el.namespaceURI === ns && el.localName === local) out.push(el);
  }
  return out;
}

/**
 * Unsigned fields of a posted response that select what to validate it against (its InResponseTo); never trusted
 * for anything else.
 */
export function peekResponse(samlResponseBase64: string): { inResponseTo: string | null } {
  const xml = Buffer.from(samlResponseBase64, 'base64').toString('utf8');
  const root = parse(xml);
  if (root.namespaceURI !== SAMLP || root.localName !== 'Response') throw new SamlRefusal('MALFORMED', 'The message is not a SAML Response.');
  return { inResponseTo: root.getAttribute('InResponseTo') || null };
}

/**
 * The checks node-saml leaves to us, on the response and on the assertion node-saml validated: Destination and
 * Recipient are this ACS, both Issuers are the IdP's entity ID. Returns the assertion's ID and end of validity for
 * the replay record.
 */
export function checkValidatedResponse(responseXml: string, assertionXml: string, expected: { acsUrl: string; idpEntityId: string }): { assertionId: string; notOnOrAfter: Date | null } {
  const response = parse(responseXml);
  if (response.getAttribute('Destination') !== expected.acsUrl) {
    throw new SamlRefusal('WRONG_DESTINATION', `The response was addressed to ${response.getAttribute('Destination') || 'no one'}, not to this service's ACS.`);
  }
  const responseIssuer = childrenNamed(response, SAML, 'Issuer')[0]?.textContent?.trim();
  if (responseIssuer !== undefined && responseIssuer !== expected.idpEntityId) {
    throw new SamlRefusal('WRONG_ISSUER', 'The response names another issuer than this identity provider.');
  }
  const assertion = parse(assertionXml);
  const assertionIssuer = childrenNamed(assertion, SAML, 'Issuer')[0]?.textContent?.trim();
  if (assertionIssuer !== expected.idpEntityId) throw new SamlRefusal('WRONG_ISSUER', 'The assertion names another issuer than this identity provider.');
  const subject = childrenNamed(assertion, SAML, 'Subject')[0];
  const confirmations = subject ? childrenNamed(subject, SAML, 'SubjectConfirmation') : [];
  const data = confirmations.flatMap((c) => childrenNamed(c, SAML, 'SubjectConfirmationData'));
  if (!data.length || !data.every((d) => d.getAttribute('Recipient') === expected.acsUrl)) {
    throw new SamlRefusal('WRONG_RECIPIENT', 'The assertion was meant for another recipient than this service.');
  }
  const assertionId = assertion.getAttribute('ID');
  if (!assertionId) throw new SamlRefusal('MALFORMED', 'The assertion has no ID.');
  const conditions = childrenNamed(assertion, SAML, 'Conditions')[0];
  const ends = [conditions?.getAttribute('NotOnOrAfter'), ...data.map((d) => d.getAttribute('NotOnOrAfter'))].filter((v): v is string => !!v).map((v) => new Date(v));
  const notOnOrAfter = ends.length ? new Date(Math.max(...ends.map((d) => d.getTime()))) : null;
  return { assertionId, notOnOrAfter };
}
