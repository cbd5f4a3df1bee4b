import { compileFilter, type PayloadPredicate } from "@/core/filter";

/** Compiled filters kept in memory; the least recently used is dropped beyond this. */
export const MAX_CACHED_COMPILED_FILTERS = 100_000;

export interface CompilableListener {
  id: string;
  updatedAt: Date;
  filter: unknown;
}

/** Compiled filters by listener id and version (updatedAt changes whenever the filter can have). */
export class CompiledFilterCache {
  private readonly predicates = new Map<string, PayloadPredicate>();

  constructor(private readonly capacity = MAX_CACHED_COMPILED_FILTERS) {}

  /** Throws InvalidFilterError when the stored filter is not valid. */
  predicateFor(listener: CompilableListener): PayloadPredicate {
    const key = `${listener.id}@${listener.updatedAt.getTime()}`;
    const cached = this.predicates.get(key);
    if (cached) {
      this.predicates.delete(key);
      this.predicates.set(key, cached);
      return cached;
    }
    const predicate = compileFilter(listener.filter);
    if (this.predicates.size >= this.capacity) {
      const leastRecent = this.predicates.keys().next();
      if (!leastRecent.done) this.predicates.delete(leastRecent.value);
    }
    this.predicates.set(key, predicate);
    return predicate;
  }

  get size(): number {
    return this.predicates.size;
  }
}
