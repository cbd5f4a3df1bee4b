import type { ListenerConfig, ListenerHeaders, ListenerWithSecret } from "./api-types";
import { clientOf } from "./binding";
import { InvalidFilter } from "./errors";
import { fieldNames } from "./fields";
import { type FilterInput, mergeFilters, serializeFilter, topLevelFields } from "./filter";
import type { FilterJson } from "./api-types";
import type { Hook } from "./hook";

export interface ListenerOptions {
  url: string;
  /** What people call it; the dashboard heads its page with it. */
  name?: string;
  /** Your app's id for the customer it belongs to: their portal links show and manage it. */
  customer?: string;
  description?: string;
  headers?: ListenerHeaders;
  /** Deliver `{type, version, timestamp, data, config}` instead of the bare payload. */
  envelope?: boolean;
  /** Values of the hook's `configForm` options; options left out take their defaults. */
  config?: ListenerConfig;
  /** The version of the hook's fields to receive events of (the server's latest when left out). */
  hookVersion?: number;
}

/** durian's `Hook().listener(url=…).match(…).save()`: collects the filter, then creates the listener. */
export class ListenerBuilder {
  private filter: FilterJson | undefined;

  constructor(
    private readonly hook: Hook,
    private readonly options: ListenerOptions,
  ) {}

  /**
   * Adds conditions; all must hold. Calling it again with a field already matched ANDs both conditions.
   * Only fields the hook provides can be matched (a dotted key names a field of a provided object).
   */
  match(conditions: FilterInput): this {
    const serialised = serializeFilter(conditions);
    const provided = fieldNames(this.hook.providesArgs);
    for (const field of topLevelFields(serialised)) {
      if (!provided.includes(field)) {
        throw new InvalidFilter(
          field,
          `hook "${this.hook.name}" does not provide it (providesArgs: ${provided.join(", ") || "none"})`,
        );
      }
    }
    this.filter = this.filter ? mergeFilters(this.filter, serialised) : serialised;
    return this;
  }

  /** The filter as it will be sent (undefined: every event of the hook). */
  toFilter(): FilterJson | undefined {
    return this.filter && { ...this.filter };
  }

  /** Creates the listener; the answer carries its `whsec_…` secret, shown only this once. */
  async save(): Promise<ListenerWithSecret> {
    return clientOf(this.hook).createListener({ ...this.options, hook: this.hook.name, filter: this.filter });
  }
}
