// CertificateSigningRequests. Condition is Denied, Approved or Pending,
// then `,Failed` and `,Issued` when those apply.
import type { certificatesv1 } from '../types.js';
import { age, humanDuration } from './age.js';
import { ageColumn, column, definePrinter, nameColumn } from './columns.js';
import { list, optionalInt, text } from './read.js';

function csrCondition(csr: certificatesv1.CertificateSigningRequest): string {
  const types = new Set(list(csr.status?.conditions).map((c) => c?.type));
  let status = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) status += ',Failed';
  if (text(csr.status?.certificate) !== '') status += ',Issued';
  return status;
}

export const certificateSigningRequestPrinter = definePrinter<certificatesv1.CertificateSigningRequest>(
  [
    nameColumn,
    ageColumn,
    column('SignerName', 'string', 'The requested signer.'),
    column('Requestor', 'string', 'The user that created the request.'),
    column('RequestedDuration', 'string', 'The requested validity duration of the issued certificate.'),
    column('Condition', 'string', 'Whether the request is approved, denied or failed, and whether a certificate was issued.'),
  ],
  (csr, now) => {
    const seconds = optionalInt(csr.spec?.expirationSeconds);
    return [
      text(csr.metadata?.name),
      age(csr.metadata?.creationTimestamp, now),
      text(csr.spec?.signerName) || '<none>',
      text(csr.spec?.username),
      seconds === undefined ? '<none>' : humanDuration(seconds * 1000),
      csrCondition(csr),
    ];
  },
);
