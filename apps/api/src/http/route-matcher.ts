import type { Route } from '../route';

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

interface Dynamic {
  route: Route;
  pattern: RegExp;
  names: string[];
}

/**
 * Finds the route of a request in the route table: static paths by one map
 * lookup, `{param}` paths by one precompiled pattern each. It replaces
 * Express's router for the table, which tests every registered layer's
 * pattern on every request.
 */
export class RouteMatcher {
  private readonly statics = new Map<string, Route>();
  private readonly dynamics: Dynamic[] = [];

  constructor(routes: Route[]) {
    for (const route of routes) {
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      if (names.length === 0) {
        this.statics.set(`${route.method} ${route.path}`, route);
        continue;
      }
      const source = route.path
        .split(/\{\w+\}/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('([^/]+)');
      this.dynamics.push({ route, pattern: new RegExp(`^${source}$`), names });
    }
  }

  match(method: string, path: string): RouteMatch | undefined {
    const fixed = this.statics.get(`${method} ${path}`);
    if (fixed) return { route: fixed, params: {} };
    for (const d of this.dynamics) {
      if (d.route.method !== method) continue;
      const m = d.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      d.names.forEach((name, i) => (params[name] = safeDecode(m[i + 1])));
      return { route: d.route, params };
    }
    return undefined;
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
