/** The backend calls this process is running, so cancel and shutdown can abort them. */
export class InflightJobs {
  private readonly controllers = new Map<string, AbortController>();

  begin(id: string): AbortController {
    const ac = new AbortController();
    this.controllers.set(id, ac);
    return ac;
  }

  end(id: string): void {
    this.controllers.delete(id);
  }

  abort(id: string, reason: Error): boolean {
    const ac = this.controllers.get(id);
    if (!ac) return false;
    ac.abort(reason);
    return true;
  }

  abortAll(reason: () => Error): void {
    for (const ac of this.controllers.values()) ac.abort(reason());
  }

  get size(): number {
    return this.controllers.size;
  }
}
