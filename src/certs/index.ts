// The public API of certs/: what the apiserver, agent and server use.
export { CertificateAuthority, type CertificateSummary, type PublicKeyInput } from './authority.js';
export { readCertificateRequest, type CertificateRequest } from './csr.js';
export { CertsError, certsErrorCodes, isCertsError, type CertsErrorCode } from './errors.js';
export { renderKubeconfig, writeKubeconfig, type KubeconfigParams } from './kubeconfig.js';
export { defaultLeafValidityDays, type LeafTemplate, type LeafUsage } from './leaf.js';
export { builtinIdentities, ensurePki, pkiFileNames, type CaFiles, type LeafFiles, type Pki, type PkiOptions } from './pki.js';
export { apiserverSans, parseSan, type ApiserverSanOptions, type San } from './sans.js';
export {
  ensureServiceAccountKey,
  serviceAccountKeyFileNames,
  type ServiceAccountKeyFiles,
  type ServiceAccountKeyPair,
} from './serviceaccount.js';
export {
  defaultServiceAccountIssuer,
  ServiceAccountTokenSigner,
  tokenLeewaySeconds,
  type KubernetesClaims,
  type ServiceAccountClaims,
  type TokenAlgorithm,
  type TokenObjectRef,
  type TokenToIssue,
  type VerifiedToken,
  type VerifyOptions,
} from './serviceaccount-jwt.js';
export {
  caHash,
  checkCaPin,
  defaultTokenUser,
  ensureToken,
  formatToken,
  generateToken,
  parseToken,
  tokenMatches,
  type EnsureTokenOptions,
  type JoinToken,
  type PinnedToken,
} from './token.js';
export {
  createClientCertVerifier,
  type CertificateIdentity,
  type ClientCertVerifier,
  type PeerCertificateLike,
} from './verify.js';
export { issueKubeletServing, type KubeletServingPair } from './kubelet-serving.js';
