import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate and its private key, PEM. */
export interface KeyPair {
  cert: Buffer;
  key: Buffer;
}

/** A certificate authority made now with openssl, for one test file; `remove()` deletes its files. */
export interface TestAuthority {
  ca: Buffer;
  /**
   * A certificate for `subject` (its CN) that this CA signed; `extensions` as openssl's
   * `-extfile` takes them (`subjectAltName=URI:exorelay:service/users`). `file` names its files.
   */
  sign(file: string, subject: string, extensions: string): KeyPair;
  remove(): void;
}

export function makeAuthority(name = 'test-ca'): TestAuthority {
  const folder = mkdtempSync(join(tmpdir(), 'exocom-tls-'));
  const file = (fileName: string) => join(folder, fileName);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    file('ca-key.pem'),
    '-out',
    file('ca.pem'),
  );
  return {
    ca: readFileSync(file('ca.pem')),
    sign(fileName, subject, extensions) {
      openssl(
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        `/CN=${subject}`,
        '-keyout',
        file(`${fileName}-key.pem`),
        '-out',
        file(`${fileName}.csr`),
      );
      writeFileSync(file(`${fileName}.ext`), extensions);
      openssl(
        'x509',
        '-req',
        '-in',
        file(`${fileName}.csr`),
        '-CA',
        file('ca.pem'),
        '-CAkey',
        file('ca-key.pem'),
        '-CAcreateserial',
        '-days',
        '1',
        '-extfile',
        file(`${fileName}.ext`),
        '-out',
        file(`${fileName}.pem`),
      );
      return { cert: readFileSync(file(`${fileName}.pem`)), key: readFileSync(file(`${fileName}-key.pem`)) };
    },
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

/** A CA, a certificate for 127.0.0.1 it signed for the bus and one for a relay, and a client certificate. */
export function makeCertificates(): TestAuthority & { bus: KeyPair; client: KeyPair; relay: KeyPair } {
  const authority = makeAuthority();
  return {
    ...authority,
    bus: authority.sign('bus', 'bus', 'subjectAltName=IP:127.0.0.1'),
    client: authority.sign('users', 'users', 'extendedKeyUsage=clientAuth'),
    relay: authority.sign('relay', 'relay', 'subjectAltName=IP:127.0.0.1'),
  };
}
