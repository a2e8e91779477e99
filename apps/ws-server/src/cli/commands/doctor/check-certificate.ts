import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { fail, pass, warn, type CheckResult } from "./doctor-check";

const DAY_MS = 86_400_000;
/** certbot renews 30 days before expiry; under 21 days left, renewal has been failing. */
const WARN_DAYS = 21;
const FAIL_DAYS = 7;

export function checkCertificate(certFile: string, keyFile: string, now: Date): CheckResult {
  const item = "TLS certificate expiry";
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(readFileSync(certFile));
  } catch {
    return fail(item, `${certFile} is not a readable PEM certificate`);
  }
  try {
    if (!certificate.checkPrivateKey(createPrivateKey(readFileSync(keyFile)))) {
      return fail(item, `${keyFile} is not the key of ${certFile}`);
    }
  } catch {
    return fail(item, `${keyFile} is not a readable PEM private key`);
  }
  const validTo = new Date(certificate.validTo);
  const daysLeft = Math.floor((validTo.getTime() - now.getTime()) / DAY_MS);
  const subject = certificate.subjectAltName ?? certificate.subject;
  const reason = `${subject}: expires ${validTo.toISOString()} (${String(daysLeft)} days)`;
  if (daysLeft < FAIL_DAYS) return fail(item, reason);
  if (daysLeft < WARN_DAYS) return warn(item, `${reason}; is certbot renewing?`);
  return pass(item, reason);
}
