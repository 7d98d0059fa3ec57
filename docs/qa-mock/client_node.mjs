// node fetch (undici) client through the proxy in $PX, trusting $CA
import { fetch, ProxyAgent } from 'undici';
import fs from 'node:fs';
import crypto from 'node:crypto';
const dispatcher = new ProxyAgent({ uri: process.env.PX, requestTls: { ca: fs.readFileSync(process.env.CA) } });
const H = 'https://localhost:18443';
async function show(name, url, init = {}) {
  const r = await fetch(url, { ...init, dispatcher });
  const t = await r.text();
  console.log(name, r.status, r.headers.get('x-reprise-match') ?? '-', t.replace(/\n/g, '').slice(0, 140));
}
await show('node_pay', H + '/v1/payments', { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'node-1' }, body: JSON.stringify({ amount: 4200, currency: 'USD', nonce: crypto.randomBytes(16).toString('hex') }) });
await show('node_gql', H + '/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'query GetUser($id: ID!) { user(id: $id) { id name } }', variables: { id: 'u-7' } }) });
await show('node_gz', H + '/gz');
await show('node_redirect', H + '/old');
await show('node_redirect_manual', H + '/old', { redirect: 'manual' });
await show('node_preflight', H + '/cors', { method: 'OPTIONS', headers: { origin: 'https://node.test', 'access-control-request-method': 'PUT' } });
