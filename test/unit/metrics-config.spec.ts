import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, mainPortMetricsAccess } from '#config';

/** METRICS_TOKEN and METRICS_PORT: validated at start-up, and what they make of `/metrics` on the main port. */
describe('metrics configuration', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(path.join(os.tmpdir(), 'pe-config-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  const TOKEN = 't'.repeat(32);

  function problemsOf(env: Record<string, string>): string[] {
    try {
      loadConfig(env, cwd);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems;
    }
    throw new Error('expected a ConfigError');
  }

  it('refuses a short token, a port out of range and a port equal to PORT, naming each', () => {
    expect(problemsOf({ METRICS_TOKEN: 'short', METRICS_PORT: '70000' })).toEqual([
      'METRICS_TOKEN must be at least 32 characters (for example: openssl rand -base64 32)',
      'METRICS_PORT must be a whole number from 1 to 65535 (got "70000")',
    ]);
    expect(problemsOf({ PORT: '9100', METRICS_PORT: '9100' })).toEqual(['METRICS_PORT must differ from PORT (both are 9100)']);
  });

  it('main port: open outside production unless a token is set; never with METRICS_PORT (production: see test/e2e/metrics)', () => {
    expect(mainPortMetricsAccess(loadConfig({}, cwd))).toEqual({ kind: 'open' });
    expect(mainPortMetricsAccess(loadConfig({ METRICS_TOKEN: TOKEN }, cwd))).toEqual({ kind: 'token', token: TOKEN });
    expect(mainPortMetricsAccess(loadConfig({ METRICS_PORT: '9464' }, cwd))).toEqual({ kind: 'refused' });
    expect(mainPortMetricsAccess(loadConfig({ METRICS_PORT: '9464', METRICS_TOKEN: TOKEN }, cwd))).toEqual({ kind: 'refused' });
  });
});
