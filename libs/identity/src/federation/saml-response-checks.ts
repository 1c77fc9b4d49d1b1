import { SAMLP_NS as SAMLP, SAML_NS as SAML, SamlRefusal, childrenNamed, decodePostMessage, parseSamlXml as parse } from './saml-xml.js';

export { SamlRefusal } from './saml-xml.js';

/**
 * Unsigned fields of a posted response that select what to validate it against (its InResponseTo); never trusted
 * for anything else.
 */
export function peekResponse(samlResponseBase64: string): { inResponseTo: string | null } {
  const root = parse(decodePostMessage(samlResponseBase64));
  if (root.namespaceURI !== SAMLP || root.localName !== 'Response') throw new SamlRefusal('MALFORMED', 'The message is not a SAML Response.');
  return { inResponseTo: root.getAttribute('InResponseTo') || null };
}

/**
 * The checks node-saml leaves to us, on the response and on the assertion node-saml validated: Destination and
 * Recipient are this ACS, both Issuers are the IdP's entity ID. Returns the assertion's ID and end of validity for
 * the replay record.
 */
export function checkValidatedResponse(
  responseXml: string,
  assertionXml: string,
  expected: { acsUrl: string; idpEntityId: string },
): { assertionId: string; notOnOrAfter: Date | null } {
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
  const ends = [conditions?.getAttribute('NotOnOrAfter'), ...data.map((d) => d.getAttribute('NotOnOrAfter'))]
    .filter((v): v is string => !!v)
    .map((v) => new Date(v));
  const notOnOrAfter = ends.length ? new Date(Math.max(...ends.map((d) => d.getTime()))) : null;
  return { assertionId, notOnOrAfter };
}
