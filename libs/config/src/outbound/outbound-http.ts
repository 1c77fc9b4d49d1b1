import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from './address-policy.js';

/** Why an outbound request failed; callers branch on this, people read the message. */
export type OutboundRequestErrorCode =
  'INVALID_URL' | 'HTTPS_REQUIRED' | 'ADDRESS_NOT_ALLOWED' | 'REDIRECT_REFUSED' | 'TOO_LARGE' | 'TIMEOUT' | 'CONNECTION_FAILED';

/**
 * An outbound request that was refused or failed. The message names the host (never the path or query, which may
 * hold tokens) and says what to change.
 */
export class OutboundRequestError extends Error {
  constructor(
    readonly code: OutboundRequestErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OutboundRequestError';
  }
}

export interface OutboundRequestOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Largest response body accepted; default 1 MiB. */
  maxBytes?: number;
  /** Budget for the whole exchange, from lookup to the last body byte; default 10 s. */
  timeoutMs?: number;
  /** `AppConfig.outboundAllowPrivateNetworks`: lifts the address and https rules (tests, closed networks). */
  allowPrivateNetworks: boolean;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const DEFAULT_MAX_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;
const PRIVATE_HINT = 'set OUTBOUND_ALLOW_PRIVATE_NETWORKS=true only for tests and closed networks';

/**
 * Resolves like dns.lookup but refuses the whole host when any address is not public. It runs inside the socket's
 * connect, so the address checked is the address used: a DNS answer that changes between a check and the connect
 * (rebinding) cannot slip through.
 */
function guardedLookup(allowPrivateNetworks: boolean): LookupFunction {
  return (hostname, options, callback) => {
    const family = options.family === 4 || options.family === 6 ? options.family : 0;
    dnsLookup(hostname, { all: true, family, hints: options.hints }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, []);
      if (addresses.length === 0) {
        return callback(new OutboundRequestError('CONNECTION_FAILED', `Outbound request to ${hostname} failed: the name resolved to no address`), []);
      }
      if (!allowPrivateNetworks && addresses.some((a) => !isPublicAddress(a.address))) {
        const refused = addresses.filter((a) => !isPublicAddress(a.address)).map((a) => a.address);
        return callback(
          new OutboundRequestError(
            'ADDRESS_NOT_ALLOWED',
            `Outbound request to ${hostname} refused: it resolves to a non-public address (${refused.join(', ')}); ${PRIVATE_HINT}`,
          ),
          [],
        );
      }
      // With autoSelectFamily (the Node 20 default) net asks for every address; otherwise for one.
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

function parseTarget(url: string, allowPrivateNetworks: boolean): URL {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    // The text itself is not repeated: it may carry a token.
    throw new OutboundRequestError('INVALID_URL', 'Outbound request refused: the URL is not valid; give an absolute https:// URL');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new OutboundRequestError(
      'INVALID_URL',
      `Outbound request to ${target.host || 'a URL'} refused: ${target.protocol} URLs are not supported; use https://`,
    );
  }
  if (target.protocol === 'http:' && !allowPrivateNetworks) {
    throw new OutboundRequestError(
      'HTTPS_REQUIRED',
      `Outbound request to ${target.host} refused: plain http:// is not allowed; use https://, or ${PRIVATE_HINT}`,
    );
  }
  // Node connects to a literal IP without calling `lookup`, so it is checked here. URL has already normalised
  // forms such as 2130706433 or 0x7f.1 to dotted decimal.
  const hostname = target.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(hostname) && !allowPrivateNetworks && !isPublicAddress(hostname)) {
    throw new OutboundRequestError('ADDRESS_NOT_ALLOWED', `Outbound request to ${target.host} refused: it is not a public address; ${PRIVATE_HINT}`);
  }
  return target;
}

function redirectTarget(location: string | undefined, base: URL): string {
  if (!location) return 'no Location header';
  try {
    return new URL(location, base).host || 'a non-http location';
  } catch {
    return 'an unreadable location';
  }
}

/**
 * Makes one HTTP request under the platform's outbound rules: http(s) only, https and public addresses unless
 * `allowPrivateNetworks`, the address checked when the socket connects, no redirect followed, body and time bounded.
 * Bodies and headers are never logged.
 * @throws OutboundRequestError with a `code` saying which rule or failure stopped the request.
 */
export function outboundRequest(url: string, options: OutboundRequestOptions): Promise<OutboundResponse> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let target: URL;
  try {
    target = parseTarget(url, options.allowPrivateNetworks);
  } catch (error) {
    return Promise.reject(error);
  }
  const host = target.host;
  const headers: OutgoingHttpHeaders = { ...options.headers };
  const hasLength = Object.keys(headers).some((name) => name.toLowerCase() === 'content-length');
  if (options.body !== undefined && !hasLength) headers['content-length'] = Buffer.byteLength(options.body);

  return new Promise<OutboundResponse>((resolve, reject) => {
    let settled = false;
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, {
      method: options.method ?? 'GET',
      headers,
      lookup: guardedLookup(options.allowPrivateNetworks),
      // A pooled socket was checked under whatever rule its first caller had; a fresh one is checked under ours.
      agent: false,
    });

    const fail = (error: OutboundRequestError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
      req.destroy();
    };

    const timer = setTimeout(() => {
      fail(new OutboundRequestError('TIMEOUT', `Outbound request to ${host} timed out after ${timeoutMs} ms; the server is slow or unreachable`));
    }, timeoutMs);

    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error instanceof OutboundRequestError) return fail(error);
      const reason = error.code ? `${error.code}: ${error.message}` : error.message;
      fail(new OutboundRequestError('CONNECTION_FAILED', `Outbound request to ${host} failed (${reason})`, { cause: error }));
    });

    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      // 304 is a cache answer to a conditional request, not a redirect, and carries no Location to follow.
      if (status >= 300 && status < 400 && status !== 304) {
        res.resume();
        return fail(
          new OutboundRequestError(
            'REDIRECT_REFUSED',
            `Outbound request to ${host} refused: it answered ${status}, a redirect to ${redirectTarget(res.headers.location, target)}; redirects are not followed, configure the final URL instead`,
          ),
        );
      }
      const tooLarge = (): OutboundRequestError =>
        new OutboundRequestError('TOO_LARGE', `Outbound request to ${host} refused: the response is larger than ${maxBytes} bytes`);
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) return fail(tooLarge());

      const chunks: Buffer[] = [];
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > maxBytes) return fail(tooLarge());
        chunks.push(chunk);
      });
      res.on('error', (error: NodeJS.ErrnoException) => {
        fail(
          new OutboundRequestError('CONNECTION_FAILED', `Outbound request to ${host} failed while reading the response (${error.code ?? error.message})`, {
            cause: error,
          }),
        );
      });
      res.on('close', () => {
        if (!res.complete)
          fail(new OutboundRequestError('CONNECTION_FAILED', `Outbound request to ${host} failed: the connection closed before the response was complete`));
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status, headers: { ...res.headers }, body: Buffer.concat(chunks) });
      });
    });

    if (options.body !== undefined) req.end(options.body);
    else req.end();
  });
}
