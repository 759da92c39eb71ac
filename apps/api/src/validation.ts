import type { z } from 'zod';
import { ValidationError } from '@inferq/core';
import type { ErrorDetail } from '@inferq/core';

type Issue = z.core.$ZodIssue;
type Segment = PropertyKey;
export type Source = 'params' | 'query' | 'body';

/** Issues at or one level below a union: "wrong shape" rather than a specific field. */
function shallowCount(issues: Issue[]): number {
  return issues.filter((i) => i.path.length <= 1 || i.code === 'unrecognized_keys').length;
}

/**
 * One issue as details with full paths. Unknown keys become one detail per key
 * (naming it); a union that failed reports the branch the caller most likely
 * meant (the one with the fewest wrong-shape issues), or every tied branch.
 */
function flatten(issue: Issue, base: Segment[]): Array<{ path: Segment[]; message: string }> {
  const path = [...base, ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: [...path, key], message: 'unknown field' }));
  }
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const scores = issue.errors.map(shallowCount);
    const best = Math.min(...scores);
    return issue.errors
      .filter((_, i) => scores[i] === best)
      .flatMap((branch) => branch.flatMap((i) => flatten(i, path)));
  }
  return [{ path, message: issue.message }];
}

export function issuesToDetails(issues: readonly Issue[], source: Source): ErrorDetail[] {
  const seen = new Set<string>();
  const details: ErrorDetail[] = [];
  for (const d of issues.flatMap((i) => flatten(i, []))) {
    const path = d.path.length ? d.path.map(String).join('.') : source;
    const key = `${path}\u0000${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    details.push({ path, message: d.message });
  }
  return details;
}

/** Parses one part of a request; a mismatch is a 400 validation_error naming each bad field. */
export function parsePart<S extends z.ZodType>(schema: S, value: unknown, source: Source): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = issuesToDetails(result.error.issues, source);
  const first = details[0];
  const summary = first ? `${first.path}: ${first.message}` : 'invalid';
  throw new ValidationError(`invalid request ${source}: ${summary}`, details);
}
