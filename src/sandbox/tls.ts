/**
 * The sandbox's certificates: one CA per state directory, and a server certificate for the
 * loopback names (127.0.0.1, ::1, localhost) signed by it. Both emulators serve HTTPS with the
 * server certificate; clients trust the CA (plsctl through PLSCTL_CA_FILE, kubectl through the
 * kubeconfig's certificate-authority-data). Keys come from node:crypto; node-forge only builds and
 * signs the X.509 structures, which node:crypto cannot do.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import forge from "node-forge";
import { ensureStateDir } from "./state-dir.js";

export interface SandboxTls {
  caCertPem: string;
  certPem: string;
  keyPem: string;
  caFile: string;
}

const FILES = { ca: "ca.crt", caKey: "ca.key", cert: "server.crt", key: "server.key" } as const;

function newKeyPair(): { publicKey: forge.pki.PublicKey; privateKey: forge.pki.PrivateKey; keyPem: string } {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  return { publicKey, privateKey: forgeKey, keyPem };
}

function baseCert(publicKey: forge.pki.PublicKey, years: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // Positive serial: clear the top bit.
  cert.serialNumber = `01${randomBytes(15).toString("hex")}`;
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + years * 365 * 24 * 60 * 60 * 1000);
  return cert;
}

function createCa(): {
  certPem: string;
  keyPem: string;
  cert: forge.pki.Certificate;
  key: forge.pki.PrivateKey;
} {
  const { publicKey, privateKey, keyPem } = newKeyPair();
  const cert = baseCert(publicKey, 10);
  const attrs = [
    { name: "commonName", value: "plsctl sandbox CA" },
    { name: "organizationName", value: "plsctl sandbox" },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(privateKey as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem, cert, key: privateKey };
}

function createServerCert(ca: { cert: forge.pki.Certificate; key: forge.pki.PrivateKey }): {
  certPem: string;
  keyPem: string;
} {
  const { publicKey, keyPem } = newKeyPair();
  const cert = baseCert(publicKey, 2);
  cert.setSubject([{ name: "commonName", value: "localhost" }]);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
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
  ]);
  cert.sign(ca.key as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

function writeAtomic(path: string, content: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600 });
  renameSync(tmp, path);
}

/** Loads the sandbox certificates from `dir`, generating them on first use. */
export function ensureTls(dir: string): SandboxTls {
  ensureStateDir(dir);
  const p = (f: string) => join(dir, f);
  if (!Object.values(FILES).every((f) => existsSync(p(f)))) {
    const ca = createCa();
    const server = createServerCert(ca);
    writeAtomic(p(FILES.caKey), ca.keyPem);
    writeAtomic(p(FILES.key), server.keyPem);
    writeAtomic(p(FILES.cert), server.certPem);
    writeAtomic(p(FILES.ca), ca.certPem);
  }
  return {
    caCertPem: readFileSync(p(FILES.ca), "utf8"),
    certPem: readFileSync(p(FILES.cert), "utf8"),
    keyPem: readFileSync(p(FILES.key), "utf8"),
    caFile: p(FILES.ca),
  };
}
