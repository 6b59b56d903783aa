import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { summarizeProfile } from '../../bench/profile';

describe('bench CPU profile summary', () => {
  describe('when a profile has samples in project code, a package, Node and V8', () => {
    it('then functions and packages are ranked by self time, idle time left out', () => {
      const root = '/srv/gateway';
      const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9 });
      const profile = {
        nodes: [
          { id: 1, callFrame: frame('(idle)', '') },
          { id: 2, callFrame: frame('place', `file://${root}/dist/src/holds.js`) },
          { id: 3, callFrame: frame('validate', `file://${root}/node_modules/ajv/dist/core.js`) },
          { id: 4, callFrame: frame('writev', '') },
          { id: 5, callFrame: frame('emit', 'node:events') },
        ],
        samples: [1, 2, 3, 3, 4, 4, 4, 5],
        timeDeltas: [5000, 1000, 1000, 1000, 1000, 1000, 1000, 2000],
      };
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'profile-')), 'gateway.cpuprofile');
      fs.writeFileSync(file, JSON.stringify(profile));

      const summary = summarizeProfile(file, root);

      expect(summary.totalMs).toBe(8);
      expect(summary.functions.map((spot) => [spot.name, spot.selfMs])).toEqual([
        ['writev', 3],
        ['validate node_modules/ajv/dist/core.js:10', 2],
        ['emit node:events:10', 2],
        ['place dist/src/holds.js:10', 1],
      ]);
      expect(summary.packages.map((spot) => [spot.name, spot.share])).toEqual([
        ['(native/V8)', 3 / 8],
        ['ajv', 2 / 8],
        ['node', 2 / 8],
        ['dist/src', 1 / 8],
      ]);
    });
  });
});
