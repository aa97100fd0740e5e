// The port variables that let two `npm start` stacks run side by side (common/config.ts).
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../common/config';

describe('ports of the embedded stack', () => {
  it('defaults to the usual ports, with a dev server of our own', () => {
    const c = loadConfig({});
    expect(c.temporal.address).toBe('127.0.0.1:7233');
    expect(c.temporal.uiUrl).toBe('http://127.0.0.1:8233');
    expect(c.temporal.devServer).toEqual({ port: 7233, uiPort: 8233 });
    expect(c.web.publicUrl).toBe('http://127.0.0.1:3000');
  });

  it('moves the dev server, its UI and the web app (and the links in emails) to the ports given', () => {
    const c = loadConfig({ BAOCAO_TEMPORAL_PORT: '17233', BAOCAO_TEMPORAL_UI_PORT: '18233', BAOCAO_WEB_PORT: '13000' });
    expect(c.temporal.address).toBe('127.0.0.1:17233');
    expect(c.temporal.uiUrl).toBe('http://127.0.0.1:18233');
    expect(c.temporal.devServer).toEqual({ port: 17233, uiPort: 18233 });
    expect(c.web.publicUrl).toBe('http://127.0.0.1:13000');
    expect(loadConfig({ BAOCAO_WEB_HOST: '0.0.0.0', BAOCAO_WEB_PORT: '8080' }).web.publicUrl).toBe('http://127.0.0.1:8080');
  });

  it('starts no dev server when TEMPORAL_ADDRESS names one; explicit URLs win', () => {
    const c = loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233', BAOCAO_TEMPORAL_PORT: '17233', TEMPORAL_UI_URL: 'https://ui.example.vn', BAOCAO_PUBLIC_URL: 'https://baocao.example.vn/' });
    expect(c.temporal.address).toBe('temporal:7233');
    expect(c.temporal.devServer).toBeUndefined();
    expect(c.temporal.uiUrl).toBe('https://ui.example.vn');
    expect(c.web.publicUrl).toBe('https://baocao.example.vn');
  });

  it('names the variable of a bad port', () => {
    expect(() => loadConfig({ BAOCAO_TEMPORAL_PORT: 'seven' })).toThrow(ConfigError);
    expect(() => loadConfig({ BAOCAO_TEMPORAL_UI_PORT: '70000' })).toThrow(/BAOCAO_TEMPORAL_UI_PORT/);
  });
});
