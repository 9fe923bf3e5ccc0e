// The history recorder writes into the committed histories, so `npm test` never runs it: this
// config, and only it, includes it (see test/replay/record-histories.ts).
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

export default defineConfig({ test: { ...base.test, include: ['test/replay/record-histories.ts'] } });
