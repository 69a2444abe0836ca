// Code senders for the portal's possession step: a pluggable interface with an SMTP implementation
// (nodemailer: a well-kept client that handles STARTTLS, AUTH and dot-stuffing correctly) and a development
// mailbox for the demo, whose messages only signed-in admins can read on the dashboard.
import nodemailer from "nodemailer";

/**
 * @typedef {{ to: string, subject: string, text: string }} Message
 * @typedef {{ kind: string, send(message: Message): Promise<void> }} CodeSender
 */

/**
 * Sends through an SMTP server. `url` is e.g. `smtp://user:pass@mail.example.com:587` (STARTTLS when the
 * server offers it; `smtps://` for implicit TLS).
 * @param {{ url: string, from: string, requireTls?: boolean, tls?: import("node:tls").ConnectionOptions }} o
 * @returns {CodeSender}
 */
export function smtpSender(o) {
  const transport = nodemailer.createTransport(o.url, {
    from: o.from,
    ...(o.requireTls ? { requireTLS: true } : {}),
    ...(o.tls ? { tls: o.tls } : {}),
  });
  return {
    kind: "smtp",
    async send(message) {
      await transport.sendMail({ from: o.from, to: message.to, subject: message.subject, text: message.text });
    },
  };
}

/**
 * The demo's mailbox: keeps the latest messages in memory (at most `max`), shown to signed-in admins only.
 * @param {{ max?: number }} [o]
 */
export function devMailbox(o = {}) {
  const max = o.max ?? 50;
  /** @type {Array<Message & { at: number }>} */
  const messages = [];
  return {
    kind: "dev-mailbox",
    /** @param {Message} message */
    async send(message) {
      messages.unshift({ ...message, at: Date.now() });
      messages.length = Math.min(messages.length, max);
    },
    /** The latest messages, newest first. */
    list() {
      return messages.map((m) => ({ ...m }));
    },
  };
}
