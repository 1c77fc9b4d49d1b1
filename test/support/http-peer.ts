import { createServer, type IncomingHttpHeaders, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request an {@link HttpPeer} received, with its whole body. */
export interface PeerRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the peer answers with. */
export interface PeerAnswer {
  status: number;
  headers?: OutgoingHttpHeaders;
  body?: string;
}

/**
 * Decides the answer to one request: return a {@link PeerAnswer}, or write `res` yourself (to stall, redirect by
 * hand or cut the connection) and return nothing.
 */
export type PeerResponder = (request: PeerRequest, res: ServerResponse) => PeerAnswer | void;

/** A real HTTP server on 127.0.0.1 that stands in for a webhook receiver, an IdP's metadata URL and the like. */
export interface HttpPeer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  port: number;
  /** Every request, in the order it ended. */
  requests: PeerRequest[];
  /** TCP connections accepted (a request refused before sending must not even connect). */
  connections: number;
  /** The answer when no responder is given; change it between calls. */
  answer: PeerAnswer;
  close(): Promise<void>;
}

/** Starts an {@link HttpPeer} on a port the OS picks; it answers `200` with an empty body unless told otherwise. */
export async function startHttpPeer(options: { answer?: PeerAnswer; respond?: PeerResponder } = {}): Promise<HttpPeer> {
  const sockets = new Set<Socket>();
  const responder = options.respond;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: PeerRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      peer.requests.push(request);
      const answer = responder ? responder(request, res) : peer.answer;
      // A responder that wrote the answer itself has sent its headers already.
      if (answer && !res.headersSent) res.writeHead(answer.status, answer.headers).end(answer.body);
    });
  });
  server.on('connection', (socket: Socket) => {
    peer.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const peer: HttpPeer = {
    url: `http://127.0.0.1:${port}`,
    port,
    requests: [],
    connections: 0,
    answer: options.answer ?? { status: 200 },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return peer;
}

/** SAML metadata as an IdP serves it. */
export const metadataAnswer = (xml: string): PeerAnswer => ({ status: 200, headers: { 'content-type': 'application/samlmetadata+xml' }, body: xml });

/** The payload of a webhook call signed with `secret` (Standard Webhooks), or undefined when the signature does not hold. */
export function verifiedWebhook<T = unknown>(secret: string, request: PeerRequest): T | undefined {
  try {
    return new Webhook(secret).verify(request.body, {
      'webhook-id': String(request.headers['webhook-id'] ?? ''),
      'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
    }) as T;
  } catch {
    return undefined;
  }
}
