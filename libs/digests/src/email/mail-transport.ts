import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { AppConfig } from '#config';
import { DigestError, DigestErrorCode } from '../digests.errors.js';

/** One mail as the digest sender hands it over; the body is never logged. */
export interface OutgoingMail {
  /** One address (no display name, no list). */
  to: string;
  subject: string;
  html: string;
  text: string;
  /**
   * The Message-ID, `<left@right>` (the angle brackets may be left off). A retried delivery passes the same one,
   * so a receiver can recognise and drop the duplicate.
   */
  messageId: string;
  /** Extra headers, e.g. `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058); they cannot replace From, To, Subject, Message-ID or Date. */
  headers: Record<string, string>;
}

/** Sends digest mail: over SMTP, or in demo mode into `.eml` files a person can open. */
export interface MailTransport {
  /** `smtp` with SMTP_URL; `eml-files` in demo mode without it. */
  readonly kind: 'smtp' | 'eml-files';
  /**
   * Hands the message over. Resolves `{ accepted: true }` once the SMTP server took it (or the file is written).
   * @throws MailSendError when the server refused it or could not be reached.
   */
  send(message: OutgoingMail): Promise<{ accepted: boolean }>;
  /** Closes pooled SMTP connections; the process can then exit. */
  close(): Promise<void>;
}

/**
 * A mail that did not go out. `temporary`: try again later with backoff (a 4xx reply, or the server could not be
 * reached); otherwise the server refused it for good (5xx) and the failure is recorded and shown to the member.
 */
export class MailSendError extends Error {
  constructor(
    message: string,
    readonly temporary: boolean,
    /** Nodemailer's code, e.g. `EENVELOPE`, `EMESSAGE`, `ESOCKET`, `ETIMEDOUT`. */
    readonly code?: string,
    /** The SMTP reply code, when the server answered. */
    readonly responseCode?: number,
  ) {
    super(message);
    this.name = 'MailSendError';
  }
}

/** Failures of the connection itself: the message may well go through on another attempt. */
const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EPROXY',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

interface SmtpFailure {
  message?: string;
  code?: string;
  responseCode?: number;
  permanent?: boolean;
  response?: string;
}

/**
 * Classifies a nodemailer failure. A reply code decides when there is one (4xx temporary, 5xx permanent; 503 "bad
 * sequence" is temporary, as nodemailer's `permanent` flag has it). Without a reply, connection failures are
 * temporary; anything else (bad credentials, a broken configuration) is too, since an operator can fix it and
 * the queue's backoff gives them time, whereas a permanent failure would be blamed on the member.
 */
export function toMailSendError(error: unknown): MailSendError {
  if (error instanceof MailSendError) return error;
  const failure = (typeof error === 'object' && error !== null ? error : {}) as SmtpFailure;
  const code = typeof failure.code === 'string' ? failure.code : undefined;
  const responseCode = typeof failure.responseCode === 'number' ? failure.responseCode : undefined;
  // Server replies can be long and echo the envelope; a short excerpt is enough to act on.
  const reply = typeof failure.response === 'string' ? failure.response.replace(/\s+/g, ' ').slice(0, 200) : undefined;
  if (responseCode !== undefined && responseCode >= 400) {
    const permanent = typeof failure.permanent === 'boolean' ? failure.permanent : responseCode >= 500 && responseCode !== 503;
    const what = permanent ? 'refused the message' : 'deferred the message';
    return new MailSendError(`The mail server ${what}: ${reply ?? responseCode}`, !permanent, code, responseCode);
  }
  if (code && CONNECTION_CODES.has(code)) {
    return new MailSendError(`The mail server could not be reached (${code}): ${failure.message ?? 'no detail'}`, true, code);
  }
  return new MailSendError(`The mail could not be sent${code ? ` (${code})` : ''}: ${failure.message ?? String(error)}`, true, code);
}

/** The transport sets these itself; a caller's header of the same name would contradict them. */
const OWN_HEADERS = new Set([
  'from',
  'sender',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'subject',
  'message-id',
  'date',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
]);
const HEADER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
/** A bare addr-spec: one recipient, so a stored address can never fan one digest out to several people. */
const SINGLE_ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/;
const MESSAGE_ID = /^<?([^\s<>@]+@[^\s<>@]+)>?$/;

function messageIdOf(raw: string): string {
  const match = MESSAGE_ID.exec(raw.trim());
  if (!match) throw new MailSendError('The Message-ID must look like <id@domain>', false, 'EMESSAGEID');
  return `<${match[1]}>`;
}

function headersOf(raw: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!HEADER_NAME.test(name) || OWN_HEADERS.has(name.toLowerCase())) {
      throw new MailSendError(`The header "${name}" cannot be set by the caller`, false, 'EHEADER');
    }
    headers[name] = value;
  }
  return headers;
}

/** The nodemailer fields of a message, checked: one recipient, a well-formed Message-ID, no smuggled headers. */
function mailOptions(config: AppConfig, message: OutgoingMail) {
  if (!SINGLE_ADDRESS.test(message.to)) throw new MailSendError('The recipient is not a single e-mail address', false, 'ERECIPIENT');
  return {
    from: config.mailFrom,
    to: message.to,
    subject: message.subject,
    html: message.html,
    text: message.text,
    messageId: messageIdOf(message.messageId),
    headers: headersOf(message.headers),
  };
}

class SmtpMailTransport implements MailTransport {
  readonly kind = 'smtp' as const;
  private readonly logger = new Logger(SmtpMailTransport.name);

  constructor(
    private readonly config: AppConfig,
    private readonly transporter: Transporter,
  ) {}

  async send(message: OutgoingMail): Promise<{ accepted: boolean }> {
    const options = mailOptions(this.config, message);
    try {
      const info = (await this.transporter.sendMail(options)) as { accepted?: unknown[]; rejected?: unknown[] };
      const accepted = (info.accepted?.length ?? 0) > 0 && (info.rejected?.length ?? 0) === 0;
      this.logger.debug({ msg: 'Mail handed to the SMTP server', messageId: options.messageId, accepted });
      return { accepted };
    } catch (error) {
      throw toMailSendError(error);
    }
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}

/** Demo mode without SMTP: each mail becomes an `.eml` file a mail program opens as it is. */
class EmlFileMailTransport implements MailTransport {
  readonly kind = 'eml-files' as const;
  private readonly logger = new Logger(EmlFileMailTransport.name);
  private readonly transporter = nodemailer.createTransport({ streamTransport: true, buffer: true });

  constructor(
    private readonly config: AppConfig,
    readonly folder: string,
  ) {}

  async send(message: OutgoingMail): Promise<{ accepted: boolean }> {
    const options = mailOptions(this.config, message);
    const info = await this.transporter.sendMail(options);
    if (!Buffer.isBuffer(info.message)) throw new MailSendError('The mail could not be composed', true, 'ESTREAM');
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const id = options.messageId
      .slice(1, -1)
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .slice(0, 120);
    const file = path.join(this.folder, `${stamp}-${id}.eml`);
    try {
      await mkdir(this.folder, { recursive: true });
      // Written aside and renamed, so a person (or a test) never opens half a message.
      const partial = `${file}.partial`;
      await writeFile(partial, info.message, { mode: 0o600 });
      await rename(partial, file);
    } catch (error) {
      throw new MailSendError(`The mail could not be written under ${this.folder}: ${(error as Error).message}`, true, (error as NodeJS.ErrnoException).code);
    }
    this.logger.log({ msg: 'Mail kept as a file (demo mode, no SMTP_URL)', messageId: options.messageId, file });
    return { accepted: true };
  }

  async close(): Promise<void> {}
}

/**
 * The mail transport for this configuration: SMTP when SMTP_URL is set; in demo mode without it, `.eml` files
 * under `<dataDir>/mail/`.
 * @throws DigestError `CHANNEL_UNAVAILABLE` outside demo mode without SMTP_URL; the caller then refuses EMAIL subscriptions.
 */
export function createMailTransport(config: AppConfig): MailTransport {
  if (config.smtpUrl) {
    const transporter = nodemailer.createTransport({
      url: config.smtpUrl,
      pool: true,
      maxConnections: 3,
      // Nodemailer waits up to 2 and 10 minutes by default; a worker should give up sooner and retry later.
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
      logger: false,
    });
    return new SmtpMailTransport(config, transporter);
  }
  if (config.demoMode) return new EmlFileMailTransport(config, path.join(config.dataDir, 'mail'));
  throw new DigestError(
    DigestErrorCode.CHANNEL_UNAVAILABLE,
    'E-mail is not configured: set SMTP_URL (for example smtp://user:password@mail.example.org:587) to send digests by e-mail',
    'channel',
  );
}
