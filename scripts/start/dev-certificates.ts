// Development TLS: a local CA and a server certificate for localhost, so both
// front doors speak HTTPS from the first run and clients can pin the CA.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import forge from "node-forge";
import { writePrivateFile } from "./private-files";

const dayMs = 86_400_000;

export interface DevCertificatePaths {
  caCertFile: string;
  certFile: string;
  keyFile: string;
}

interface KeyPair {
  privateKey: forge.pki.rsa.PrivateKey;
  publicKey: forge.pki.rsa.PublicKey;
  privatePem: string;
}

/** Node generates the keys natively; forge, pure JavaScript, only assembles certificates. */
function generateKeys(): KeyPair {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 3072 });
  const privatePem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(privatePem);
  return {
    privateKey: forgeKey,
    publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e),
    privatePem,
  };
}

function baseCertificate(publicKey: forge.pki.PublicKey, validDays: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // Positive 128-bit serial: a leading 0x01..0x7f byte keeps the DER integer positive.
  cert.serialNumber = "01" + randomBytes(15).toString("hex");
  cert.validity.notBefore = new Date(Date.now() - dayMs);
  cert.validity.notAfter = new Date(Date.now() + validDays * dayMs);
  return cert;
}

/** Generates the CA and server certificate once; later runs reuse them. */
export function ensureDevCertificates(tlsDir: string): DevCertificatePaths {
  const paths = {
    caCertFile: path.join(tlsDir, "ca.crt"),
    certFile: path.join(tlsDir, "server.crt"),
    keyFile: path.join(tlsDir, "server.key"),
  };
  if (existsSync(paths.caCertFile) && existsSync(paths.certFile) && existsSync(paths.keyFile))
    return paths;

  const caKeys = generateKeys();
  const caName = [{ name: "commonName", value: "Conclave Development CA" }];
  const ca = baseCertificate(caKeys.publicKey, 825);
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const serverKeys = generateKeys();
  const server = baseCertificate(serverKeys.publicKey, 397);
  server.setSubject([{ name: "commonName", value: "localhost" }]);
  server.setIssuer(caName);
  server.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: [
        { type: 2, value: "localhost" },
        { type: 7, ip: "127.0.0.1" },
        { type: 7, ip: "::1" },
      ],
    },
    { name: "authorityKeyIdentifier", keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  server.sign(caKeys.privateKey, forge.md.sha256.create());

  const caPem = forge.pki.certificateToPem(ca);
  writePrivateFile(paths.caCertFile, caPem);
  writePrivateFile(paths.certFile, forge.pki.certificateToPem(server) + caPem);
  writePrivateFile(paths.keyFile, serverKeys.privatePem);
  return paths;
}
