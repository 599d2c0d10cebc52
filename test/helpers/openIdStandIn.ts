import { createHmac, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const b64url = (x: Buffer | string) => Buffer.from(x).toString('base64url');

export interface TokenClaims {
  iss?: string;
  aud?: string;
  serviceurl?: string;
  nbf?: number;
  exp?: number;
  iat?: number;
  [claim: string]: unknown;
}

/**
 * A local stand-in for the Bot Framework's OpenID metadata and signing keys
 * (login.botframework.com): an RSA key published as a JWKS with Teams' endorsement, and a signer
 * for real tokens and for the forgeries an attacker would try.
 */
export class OpenIdStandIn {
  readonly kid = 'test-key-1';
  readonly issuer = 'https://api.botframework.com';
  private readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  private readonly jwk: Record<string, unknown>;
  private server?: Server;
  /** Requests served (path), to see what the bot fetched. */
  readonly requests: string[] = [];
  url = '';

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.jwk = { ...publicKey.export({ format: 'jwk' }), kid: this.kid, use: 'sig', alg: 'RS256', endorsements: ['msteams'] };
  }

  get metadataUrl(): string {
    return `${this.url}/.well-known/openidconfiguration`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.requests.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openidconfiguration') {
        res.end(JSON.stringify({ issuer: this.issuer, jwks_uri: `${this.url}/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
      } else if (req.url === '/keys') {
        res.end(JSON.stringify({ keys: [this.jwk] }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Claims of a genuine channel token for `appId`, valid now (real time: token validity is wall-clock). */
  claims(appId: string, serviceUrl: string, extra: TokenClaims = {}): TokenClaims {
    const now = Math.floor(Date.now() / 1000);
    return { iss: this.issuer, aud: appId, serviceurl: serviceUrl, nbf: now - 60, iat: now - 60, exp: now + 3600, ...extra };
  }

  /** RS256 with the published key: a token the bot must accept. */
  token(claims: TokenClaims, header: Record<string, unknown> = {}, key: KeyObject = this.privateKey): string {
    const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: this.kid, ...header }));
    const body = b64url(JSON.stringify(claims));
    return `${head}.${body}.${b64url(sign('RSA-SHA256', Buffer.from(`${head}.${body}`), key))}`;
  }

  /** Signed with another RSA key under the published key id (a bad signature). */
  tokenWithForeignKey(claims: TokenClaims): string {
    const other = createPrivateKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    return this.token(claims, {}, other);
  }

  /** `alg: none`, no signature. */
  unsignedToken(claims: TokenClaims): string {
    return `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT', kid: this.kid }))}.${b64url(JSON.stringify(claims))}.`;
  }

  /** HS256 keyed with the public key's PEM: the classic algorithm-confusion forgery. */
  hmacWithPublicKey(claims: TokenClaims): string {
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: this.kid }));
    const body = b64url(JSON.stringify(claims));
    return `${head}.${body}.${b64url(createHmac('sha256', this.publicKeyPem).update(`${head}.${body}`).digest())}`;
  }
}
