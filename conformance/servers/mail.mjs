// Mail for the Node reference server: the same KERNIA_SMTP_URL and KERNIA_MAIL_FROM the Go
// server reads (ParseSMTPURL in the emitted smtp.go), sent with nodemailer.
//
//   smtp://user:pass@host[:587]            STARTTLS, required
//   smtp://host?tls=opportunistic          STARTTLS when offered
//   smtp://user:pass@127.0.0.1:port?tls=none   plain text (the harness's loopback mailbox)
//   smtps://user:pass@host[:465]           TLS from the first byte
//
//   const send = mailSender(process.env);   // null without KERNIA_SMTP_URL
//   await send({ to, subject, text, html });
import nodemailer from "nodemailer";

/** nodemailer transport options for an SMTP URL, with the Go server's meaning. */
export function transportOptions(raw) {
  const u = new URL(raw);
  const implicit = u.protocol === "smtps:";
  if (!implicit && u.protocol !== "smtp:") throw new Error(`SMTP URL scheme ${u.protocol} is not smtp: or smtps:`);
  const tls = u.searchParams.get("tls") ?? "starttls";
  if (implicit && u.searchParams.has("tls")) throw new Error("smtps:// is always TLS; tls= applies to smtp:// only");
  if (!["starttls", "opportunistic", "none"].includes(tls)) throw new Error(`SMTP URL: tls=${tls}`);
  const options = {
    host: u.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: u.port ? Number(u.port) : implicit ? 465 : 587,
    secure: implicit,
    requireTLS: !implicit && tls === "starttls",
    ignoreTLS: tls === "none",
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
  if (u.username) options.auth = { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) };
  return options;
}

/**
 * A function that sends one mail ({to, subject, text, html}) from env.KERNIA_MAIL_FROM
 * through env.KERNIA_SMTP_URL, or null when no URL is set (the mail flows are then off).
 */
export function mailSender(env) {
  if (!env.KERNIA_SMTP_URL) return null;
  if (!env.KERNIA_MAIL_FROM) throw new Error("KERNIA_SMTP_URL is set but KERNIA_MAIL_FROM is not");
  const transport = nodemailer.createTransport(transportOptions(env.KERNIA_SMTP_URL));
  const from = env.KERNIA_MAIL_FROM;
  return async ({ to, subject, text, html }) => {
    await transport.sendMail({ from, to, subject, text, html });
  };
}
