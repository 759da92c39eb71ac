import { chromiumPath, describeWithChromium } from '../browser';

// Run only by browser.process.test.ts, in a spawned jest, with INFERQ_CHROMIUM_PATH set.
describeWithChromium('the gate fixture', () => {
  it('runs its body when Chromium is there', () => {
    expect(chromiumPath()).toBeTruthy();
  });
});
