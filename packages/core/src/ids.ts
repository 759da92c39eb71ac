import { decodeTime, encodeTime, monotonicFactory } from 'ulidx';

const ulid = monotonicFactory();

/** `job_` + a ULID: sorts by creation time as a string, unguessable enough to be no secret. */
export function newJobId(): string {
  return `job_${ulid()}`;
}

/** The smallest job id that could have been created at `ms`: a lexicographic bound for time ranges. */
export function jobIdLowerBound(ms: number): string {
  return `job_${encodeTime(ms, 10)}`;
}

export const JOB_ID_PATTERN = /^job_[0-9A-HJKMNP-TV-Z]{26}$/;

/** When a job id was made (ms), from its ULID; null for anything that is not a job id. */
export function jobIdTime(id: string): number | null {
  return JOB_ID_PATTERN.test(id) ? decodeTime(id.slice(4)) : null;
}
