import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

const ANSWERS: Record<string, { status: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: '431 Request Header Fields Too Large',
    message: 'The address or the headers are too long (the limit is 16 kB): send long values in the body of a POST.',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: '408 Request Timeout', message: 'The request took too long to arrive. Send it again.' },
};
const NOT_HTTP = { status: '400 Bad Request', message: 'The request could not be read: it is not well-formed HTTP.' };

/**
 * Answers what Node's HTTP parser refuses before Express sees it (an address over the header limit, a malformed
 * request line) with a JSON error in our words, as the application answers its own refusals, instead of an empty page.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const { status, message } = ANSWERS[error.code ?? ''] ?? NOT_HTTP;
    const body = JSON.stringify({ error: { code: 'BAD_USER_INPUT', message } });
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
