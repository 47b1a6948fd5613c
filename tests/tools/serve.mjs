// Serves a directory over HTTP on 127.0.0.1 until killed (SIGINT/SIGTERM),
// for tests and tools that need http:// rather than file://.
//
//   node tests/tools/serve.mjs DIR [--port-file FILE]
//
// Prints "serve: http://127.0.0.1:PORT/ DIR" once listening; --port-file
// also writes the base URL to FILE (written atomically, for scripts that
// start the server in the background and wait for it).
import { existsSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { serve } from '../browser/lib.mjs';

const args = process.argv.slice(2);
let portFile = null;
const pos = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--port-file' && i + 1 < args.length) portFile = args[++i];
  else pos.push(args[i]);
}
if (pos.length !== 1 || !existsSync(pos[0]) || !statSync(pos[0]).isDirectory()) {
  console.error('usage: node serve.mjs DIR [--port-file FILE]');
  process.exit(2);
}
const s = await serve(pos[0]);
if (portFile) {
  writeFileSync(`${portFile}.tmp`, `${s.url}\n`);
  renameSync(`${portFile}.tmp`, portFile);
}
console.log(`serve: ${s.url} ${pos[0]}`);
const stop = async () => {
  await s.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
