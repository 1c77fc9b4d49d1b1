import type { AddressInfo, Socket } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * An in-process SMTP server on 127.0.0.1 that keeps what it receives, for tests that check the mail a receiver gets
 * (parsed with mailparser, as a mail program would).
 */

export interface ReceivedMail {
  /** The envelope sender (MAIL FROM), lower-cased: which process sent it when each has a MAIL_FROM of its own. */
  mailFrom: string;
  rcptTo: string[];
  raw: Buffer;
}

export interface SmtpSink {
  url: string;
  /** Every message received, in order of arrival, including a held one. */
  messages: ReceivedMail[];
  /** When set, DATA is answered with this code (451 temporary, 550 permanent) and nothing is kept. */
  reply: number | null;
  /** When set, every RCPT TO is answered with this code (550: no such mailbox). */
  rcptReply: number | null;
  /**
   * Holds the next message: it is kept (it arrived) but DATA is never answered, so its sender waits as if it died
   * between the receiver taking the mail and hearing so. Resolves with that message once it has arrived.
   */
  holdNext(): Promise<ReceivedMail>;
  /** Answers the held message's DATA at last (250 OK): its sender hears that it was delivered. */
  releaseHeld(): void;
  close(): Promise<void>;
}

/** An SMTP error reply: 5xx permanent, 4xx temporary. */
function refusal(code: number): Error {
  return Object.assign(new Error(code >= 500 ? 'Mailbox unavailable, rejected by policy' : 'Try again later'), { responseCode: code });
}

export async function startSmtp(): Promise<SmtpSink> {
  const sockets = new Set<Socket>();
  let hold: ((mail: ReceivedMail) => void) | undefined;
  let answerHeld: (() => void) | undefined;
  const state: SmtpSink = {
    url: '',
    messages: [],
    reply: null,
    rcptReply: null,
    holdNext: () => new Promise<ReceivedMail>((resolve) => (hold = resolve)),
    releaseHeld: () => {
      answerHeld?.();
      answerHeld = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The senders' pooled SMTP connections (and a held one) may still be open; do not wait for them to time out.
        for (const socket of sockets) socket.destroy();
      }),
  };
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 100,
    onRcptTo(_address, _session, callback) {
      callback(state.rcptReply ? refusal(state.rcptReply) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (state.reply) return callback(refusal(state.reply));
        const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address.toLowerCase() : '';
        const mail: ReceivedMail = { mailFrom, rcptTo: session.envelope.rcptTo.map((a) => a.address.toLowerCase()), raw: Buffer.concat(chunks) };
        state.messages.push(mail);
        const held = hold;
        if (held) {
          hold = undefined;
          answerHeld = () => callback(null);
          held(mail);
          return; // not answered unless released
        }
        callback(null);
      });
    },
  });
  // A sender killed mid-conversation (the crash and shutdown tests do it) resets its connection: the sink goes on.
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') throw error;
  });
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return state;
}

/** The mail that reached `address`, parsed as a mail program would. */
export async function mailsTo(smtp: SmtpSink, address: string): Promise<ParsedMail[]> {
  return Promise.all(smtp.messages.filter((m) => m.rcptTo.includes(address.toLowerCase())).map((m) => simpleParser(m.raw)));
}

/** The unfolded value of a header as it arrived. */
export function header(parsed: ParsedMail, name: string): string | undefined {
  const line = parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.replace(/\r?\n[ \t]+/g, ' ').replace(/^[^:]+:\s*/, '');
}
