/** The try-it page works offline: its HTML names only our own assets, and each one is served. */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { silentLogger } from '../../telemetry/log';

const app = createApp(
  { sql: undefined as never, temporal: undefined as never, taskQueue: 'q', adminTokenHash: '00'.repeat(32) },
  silentLogger,
);

describe('/docs', () => {
  it('loads nothing from another host', async () => {
    const res = await app.request('/docs');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toMatch(/https?:\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets).toEqual([
      '/docs/assets/favicon-32x32.png',
      '/docs/assets/swagger-ui.css',
      '/docs/assets/swagger-ui-bundle.js',
      '/docs/assets/init.js',
    ]);
  });

  it('serves every asset the page names, from the installed package', async () => {
    for (const [path, type] of [
      ['/docs/assets/swagger-ui.css', 'text/css'],
      ['/docs/assets/swagger-ui-bundle.js', 'text/javascript'],
      ['/docs/assets/init.js', 'text/javascript'],
      ['/docs/assets/favicon-32x32.png', 'image/png'],
    ]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toContain(type);
      expect((await res.arrayBuffer()).byteLength, path).toBeGreaterThan(100);
    }
  });

  it('serves no other file of the package', async () => {
    expect((await app.request('/docs/assets/index.html')).status).toBe(404);
    expect((await app.request('/docs/assets/..%2Fpackage.json')).status).toBe(404);
  });
});
