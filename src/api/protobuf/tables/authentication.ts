// Protobuf tables of authentication.k8s.io/v1 TokenRequest
// (serviceaccounts/token), TokenReview and SelfSubjectReview. ExtraValue (a
// []string) is the well-known list type of schema.ts. Each entry is named for
// the upstream Go type of k8s.io/api/authentication/v1 at Kubernetes 1.32: field
// numbers and wire types from its generated.proto; JSON names, omitempty and
// pointers from the struct tags in its types.go.
import type { MessageTables } from '../schema.js';

export const authenticationV1: MessageTables = {
  BoundObjectReference: { kind: '1 string', apiVersion: '2 string', name: '3 string', uid: '4 string' },
  SelfSubjectReview: { metadata: '1 meta/v1.ObjectMeta', status: '2 SelfSubjectReviewStatus' },
  SelfSubjectReviewStatus: { userInfo: '1 UserInfo' },
  TokenRequest: { metadata: '1 meta/v1.ObjectMeta', spec: '2 TokenRequestSpec', status: '3 TokenRequestStatus' },
  TokenRequestSpec: { audiences: '1 []string', expirationSeconds: '4 *int64', boundObjectRef: '3 BoundObjectReference' },
  TokenRequestStatus: { token: '1 string!', expirationTimestamp: '2 Time' },
  TokenReview: { metadata: '1 meta/v1.ObjectMeta', spec: '2 TokenReviewSpec', status: '3 TokenReviewStatus' },
  TokenReviewSpec: { token: '1 string', audiences: '2 []string' },
  TokenReviewStatus: { authenticated: '1 bool', user: '2 UserInfo', audiences: '4 []string', error: '3 string' },
  UserInfo: { username: '1 string', uid: '2 string', groups: '3 []string', extra: '4 map[string]ExtraValue' },
};
