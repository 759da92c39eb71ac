'use strict';
// Prints every scenario's line of figures together at the end of `npm run
// chaos`, after jest's own output, so CI logs show them in one block.
const fs = require('node:fs');
const path = require('node:path');

class FiguresReporter {
  onRunComplete() {
    const file = process.env.CHAOS_FIGURES_FILE;
    if (!file || !fs.existsSync(file)) return;
    const lines = fs.readFileSync(file, 'utf8').trim();
    process.stdout.write(`\nchaos figures\n${lines || '(no scenario reported figures)'}\n`);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

module.exports = FiguresReporter;
