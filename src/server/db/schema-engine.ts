import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";

/**
 * Prisma's schema engine compiled to WebAssembly, driven through a driver adapter. It stands in for
 * the native engine, which cannot be downloaded on machines that only reach the npm registry
 * (see /work/shared/notes/offline-prisma.md).
 */
export type { SchemaEngine };

type Bindings = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");

const WASM_PACKAGE = "@prisma/schema-engine-wasm";
const WASM_FILE = "schema_engine_bg.wasm";
const BINDINGS_MODULE_NAME = "./schema_engine_bg.js";

let bindingsPromise: Promise<Bindings> | undefined;

/**
 * The package's main entry imports the .wasm file as an ES module, which Node only allows behind an
 * experimental flag; so the module is compiled by hand and handed to the generated JS bindings.
 */
function loadBindings(): Promise<Bindings> {
  bindingsPromise ??= (async () => {
    const bindings: Bindings = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const require = createRequire(import.meta.url);
    const packageDir = path.dirname(require.resolve(`${WASM_PACKAGE}/schema_engine_bg`));
    const wasmModule = new WebAssembly.Module(readFileSync(path.join(packageDir, WASM_FILE)));
    const imports: Record<string, unknown> = { ...bindings };
    // The engine schedules timers of its own; unref them so a finished script can exit.
    for (const name of Object.keys(imports)) {
      if (name.startsWith("__wbg_setTimeout_")) {
        imports[name] = (callback: () => void, ms: number) => {
          const timer = setTimeout(callback, ms >>> 0);
          timer.unref();
          return timer;
        };
      }
    }
    const instance = new WebAssembly.Instance(wasmModule, {
      [BINDINGS_MODULE_NAME]: imports as WebAssembly.ModuleImports,
    });
    installPanicRegistry();
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings;
  })();
  return bindingsPromise;
}

/** The bindings report Rust panics through this global; without it a panic hides its message. */
function installPanicRegistry(): void {
  const registry = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void } };
  registry.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message(message: string) {
      lastPanicMessage = `RuntimeError: ${message}`;
    },
  };
}

let lastPanicMessage: string | undefined;

export interface SchemaEngineOptions {
  /** Prisma schema files as [path, content] pairs; needed by commands that read the datamodel. */
  datamodels?: [string, string][];
  /** Receives the engine's JSON log lines. */
  onLog?: (line: string) => void;
}

/** Opens the WASM schema engine over the given driver adapter factory. */
export async function openSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  options: SchemaEngineOptions = {},
): Promise<SchemaEngine> {
  const bindings = await loadBindings();
  const onLog = options.onLog ?? (() => {});
  return bindings.SchemaEngine.new(
    { datamodels: options.datamodels },
    (line: string) => onLog(line),
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}

/** The engine build, e.g. the prisma-engines commit it was compiled from. */
export async function schemaEngineVersion(): Promise<string> {
  return (await loadBindings()).version();
}

/** Adds the message of a Rust panic, which the bindings keep aside, to an engine error. */
export function describeEngineError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return lastPanicMessage && !message.includes(lastPanicMessage)
    ? `${message} (${lastPanicMessage})`
    : message;
}
