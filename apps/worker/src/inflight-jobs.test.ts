import { InflightJobs, RunningCall } from './inflight-jobs';

describe('RunningCall', () => {
  it('runs until aborted, and keeps the first reason', () => {
    const call = new RunningCall();
    expect(call.aborted).toBe(false);
    expect(() => call.throwIfAborted()).not.toThrow();
    const first = new Error('canceled');
    call.abort(first);
    call.abort(new Error('timed out'));
    expect(call.aborted).toBe(true);
    expect(call.reason).toBe(first);
    expect(() => call.throwIfAborted()).toThrow(first);
  });

  it('makes its signal on first read, already aborted when the call was', () => {
    const call = new RunningCall();
    const reason = new Error('canceled');
    call.abort(reason);
    expect(call.signal.aborted).toBe(true);
    expect(call.signal.reason).toBe(reason);
  });

  it('aborts a signal already handed out, once', () => {
    const call = new RunningCall();
    const signal = call.signal;
    let fired = 0;
    signal.addEventListener('abort', () => fired++);
    const reason = new Error('shutting down');
    call.abort(reason);
    call.abort(new Error('again'));
    expect(call.signal).toBe(signal);
    expect(signal.reason).toBe(reason);
    expect(fired).toBe(1);
  });
});

describe('InflightJobs', () => {
  it('aborts a running call by job id, and forgets it when it ends', () => {
    const jobs = new InflightJobs();
    const call = jobs.begin('j1');
    expect(jobs.size).toBe(1);
    expect(jobs.abort('j1', new Error('canceled'))).toBe(true);
    expect(call.aborted).toBe(true);
    jobs.end('j1');
    expect(jobs.size).toBe(0);
  });

  it('applies an abort that came before its call began', () => {
    const jobs = new InflightJobs();
    const reason = new Error('canceled');
    expect(jobs.abort('j2', reason)).toBe(false);
    expect(jobs.begin('j2').reason).toBe(reason);
    // Once only: a later attempt of the same job runs.
    jobs.end('j2');
    expect(jobs.begin('j2').aborted).toBe(false);
  });

  it('aborts every running call at shutdown', () => {
    const jobs = new InflightJobs();
    const calls = [jobs.begin('a'), jobs.begin('b')];
    jobs.abortAll(() => new Error('shutdown'));
    expect(calls.map((c) => c.reason?.message)).toEqual(['shutdown', 'shutdown']);
  });
});
