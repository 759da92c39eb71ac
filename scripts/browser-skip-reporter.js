'use strict';
// A jest reporter that ends the run with the browser suites it skipped for want
// of Chromium, and how to install it. The decision is made by the testkit's
// describeWithChromium (packages/testkit/src/browser.ts); a skipped suite is a
// describe titled with the mark below whose one skipped test names the reason.
const MARK = '[needs Chromium]';

class BrowserSkipReporter {
  onRunComplete(_contexts, results) {
    const suites = new Set();
    const reasons = new Set();
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        const suite = test.ancestorTitles[0] ?? '';
        if (test.status !== 'pending' || !suite.startsWith(MARK)) continue;
        suites.add(suite.slice(MARK.length).trim());
        reasons.add(test.title);
      }
    }
    if (suites.size === 0) return;
    // Jest prints its summary after every reporter; the note waits for the exit to come
    // last (stderr writes to pipes, files and terminals are synchronous on Linux).
    const note =
      `\n[inferq] ${suites.size} browser suite(s) SKIPPED: ${[...suites].join(', ')}.\n` +
      [...reasons].map((r) => `[inferq] ${r}\n`).join('');
    process.once('exit', () => process.stderr.write(note));
  }
}

module.exports = BrowserSkipReporter;
