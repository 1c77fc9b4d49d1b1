import zlib from 'node:zlib';
import { DOMParser, type Element } from '@xmldom/xmldom';

export const SAMLP_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';
export const SAML_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';

/**
 * The largest SAML message (XML, after base64 and inflate) any entry point reads. Sign-in responses with an
 * encrypted assertion and many group claims stay far below it; logout messages are a few kilobytes.
 */
export const SAML_MESSAGE_MAX_BYTES = 256 * 1024;
/** Base64 of the largest message, with room for line breaks some IdPs insert. */
const BASE64_MAX_LENGTH = Math.ceil((SAML_MESSAGE_MAX_BYTES * 4) / 3) + 4096;

/** Why a sign-in (or logout) was refused; audited, and shown to the person with what to do. */
export class SamlRefusal extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'SamlRefusal';
  }
}

function tooLarge(): SamlRefusal {
  return new SamlRefusal('TOO_LARGE', 'The SAML message is larger than this service accepts.');
}

/** A base64 message of the HTTP-POST binding as text, refused unread when it is larger than any SAML message. */
export function decodePostMessage(base64: string): string {
  if (base64.length > BASE64_MAX_LENGTH) throw tooLarge();
  return Buffer.from(base64, 'base64').toString('utf8');
}

/**
 * A message of the HTTP-Redirect binding (base64 of raw DEFLATE) as text. Both the input and the inflated output are
 * bounded, so a few kilobytes that inflate to gigabytes stop at {@link SAML_MESSAGE_MAX_BYTES}.
 */
export function inflateRedirectMessage(base64: string): string {
  if (base64.length > BASE64_MAX_LENGTH) throw tooLarge();
  try {
    return zlib.inflateRawSync(Buffer.from(base64, 'base64'), { maxOutputLength: SAML_MESSAGE_MAX_BYTES }).toString('utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
    throw new SamlRefusal('MALFORMED', 'The SAML message is not compressed as the HTTP-Redirect binding requires.');
  }
}

/**
 * Parses a SAML message with the XML parser and returns its document element. Refuses, before parsing, a message
 * larger than {@link SAML_MESSAGE_MAX_BYTES} or one with a DOCTYPE or ENTITY declaration (SAML never needs one), and
 * any document the parser reports an error in.
 */
export function parseSamlXml(xml: string): Element {
  if (xml.length > SAML_MESSAGE_MAX_BYTES) throw tooLarge();
  // A literal search, not a parse: it only keeps any DTD away from the parser.
  if (/<!\s*(?:DOCTYPE|ENTITY)/i.test(xml)) throw new SamlRefusal('DOCTYPE', 'The message contains a DOCTYPE, which SAML never needs.');
  let root: Element | null;
  try {
    root = new DOMParser({
      onError: (level) => {
        if (level !== 'warning') throw new Error('not well-formed');
      },
    }).parseFromString(xml, 'text/xml').documentElement as Element | null;
  } catch {
    // The parser's own message can repeat the input; it is not for people.
    root = null;
  }
  if (!root) throw new SamlRefusal('MALFORMED', 'The message is not well-formed XML.');
  return root;
}

/** The element children of `parent` with this namespace and local name. */
export function childrenNamed(parent: Element, ns: string, local: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    const el = node as unknown as Element;
    if (node.nodeType === 1 && el.namespaceURI === ns && el.localName === local) out.push(el);
  }
  return out;
}

/** The text of a message's own `saml:Issuer` (a child of its document element), trimmed; undefined when absent. */
export function issuerOf(root: Element): string | undefined {
  return childrenNamed(root, SAML_NS, 'Issuer')[0]?.textContent?.trim() || undefined;
}
