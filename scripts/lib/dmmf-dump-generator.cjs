#!/usr/bin/env node
// A Prisma generator that writes the DMMF (Prisma's own reading of schema.prisma) to its
// `output` file. Speaks the generator protocol: JSON-RPC requests on stdin, answers on
// stderr. Used by scripts/lib/prisma-dmmf.ts, since no offline getDMMF API is installed.
const { writeFileSync } = require('node:fs');
const process = require('node:process');
const readline = require('node:readline');

function answer(id, result) {
  process.stderr.write(`${JSON.stringify({ jsonrpc: '2.0', id, result })}\n`);
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const request = JSON.parse(line);
  if (request.method === 'getManifest') {
    answer(request.id, { manifest: { prettyName: 'DMMF dump', defaultOutput: 'dmmf.json', requiresEngines: [] } });
  } else if (request.method === 'generate') {
    writeFileSync(request.params.generator.output.value, JSON.stringify(request.params.dmmf));
    answer(request.id, null);
  }
});
