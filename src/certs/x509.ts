// The one module that imports @peculiar/x509. The library's dependency
// injection needs the Reflect metadata polyfill loaded first (ESM evaluates
// imports in order); then it is pointed at Node's WebCrypto.
// Everything else in certs/ imports `x509` from here.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto);

export { x509 };
