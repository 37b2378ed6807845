// certificates.k8s.io/v1: certificate signing requests.
import { defineGroupVersion, readWrite, statusSubresource, text } from './define.js';

export const certificatesResources = defineGroupVersion('certificates.k8s.io', 'v1', [
  {
    resource: 'certificatesigningrequests',
    kind: 'CertificateSigningRequest',
    namespaced: false,
    shortNames: ['csr'],
    subresources: [{ name: 'approval', verbs: readWrite }, statusSubresource],
    selectableFields: { 'spec.signerName': text('spec.signerName') },
  },
]);
