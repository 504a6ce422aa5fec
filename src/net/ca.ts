/**
 * NODE_EXTRA_CA_CERTS (B27). Node reads it once, at process start, and only from the shell; a
 * value from settings `env` arrives too late for that. So bcode reads the file itself and gives
 * its certificates, next to Node's bundled roots, to every TLS connection it opens. When the
 * variable came from the shell Node has read the same file already; reading it again adds
 * nothing wrong and gives one behaviour (and one error message) for both sources.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { ConfigError } from '../errors.js';

import { CA_VARIABLE } from './ca-variable.js';

export { CA_VARIABLE };

/** The CA file is missing, unreadable, or holds no usable certificate. */
export class CaFileError extends ConfigError {}

export interface ExtraCa {
  file: string;
  /** The PEM certificates of the file. */
  certs: string[];
  /** Subject common names, for doctor. */
  subjects: string[];
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

export function loadExtraCa(file: string): ExtraCa {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new CaFileError(`${CA_VARIABLE} names a file that cannot be read: ${file} (${code})`, {
      hint: `point ${CA_VARIABLE} at a readable PEM file holding your organization's CA certificate(s), or unset it`,
    });
  }
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) {
    throw new CaFileError(`${CA_VARIABLE} file ${file} holds no PEM certificate`, {
      hint: 'the file must contain one or more "-----BEGIN CERTIFICATE-----" blocks (convert a DER file with `openssl x509 -inform der -in ca.cer -out ca.pem`)',
    });
  }
  const subjects: string[] = [];
  blocks.forEach((pem, i) => {
    try {
      const cert = new X509Certificate(pem);
      subjects.push(/CN=([^\n]+)/.exec(cert.subject)?.[1] ?? cert.subject.replace(/\n/g, ', '));
    } catch {
      throw new CaFileError(`${CA_VARIABLE} file ${file}: certificate ${i + 1} of ${blocks.length} is not a valid X.509 certificate`, {
        hint: 'check the file (`openssl x509 -in <file> -noout -subject` shows each certificate), or ask whoever gave it to you for the PEM again',
      });
    }
  });
  return { file, certs: blocks, subjects };
}

/** What a TLS context's `ca` option needs so that both Node's roots and the extra CAs are trusted. */
export function trustedCas(extra: ExtraCa): string[] {
  return [...rootCertificates, ...extra.certs];
}
