// Bundles the server (and the workspace packages it imports, which ship TypeScript sources)
// into dist/server.js; npm dependencies stay external and load from node_modules.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const external = Object.keys(pkg.dependencies).filter((name) => !name.startsWith('@warrant/'));

await build({
  // Worker threads start from files of their own (agreement/worker-thread.ts, exports/start-worker.ts,
  // annotated-import/reader-thread.ts);
  // warrant.js is the `warrant` command for deployments.
  entryPoints: {
    server: 'src/server.ts',
    'report-worker': 'src/agreement/report-worker.ts',
    'resample-worker': 'src/agreement/resample-worker.ts',
    'export-worker': 'src/exports/export-worker.ts',
    'reader-worker': 'src/annotated-import/reader-worker.ts',
    warrant: 'src/cli/warrant.ts',
  },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external,
  logLevel: 'warning',
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
console.log('api: built dist/server.js, its workers and dist/warrant.js');
