import { createHash } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('probe', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t.close());
  it('prints', async () => {
    const r = await fetch(t.baseUrl + '/graphql', { headers: { accept: 'text/html' } });
    const html = await r.text();
    for (const m of html.matchAll(/<(script|style)>([\s\S]*?)<\/\1>/g)) console.log(m[1], `'sha256-${createHash('sha256').update(m[2]!).digest('base64')}'`);
    console.log([...r.headers.entries()]);
    const bad = await fetch(t.baseUrl + '/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{bad' });
    console.log([...bad.headers.entries()]);
  });
});
