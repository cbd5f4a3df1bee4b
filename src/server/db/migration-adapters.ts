import type { PGlite } from "@electric-sql/pglite";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";

/**
 * pglite-prisma-adapter 0.7.2 starts `executeScript` without awaiting it, so a failing migration
 * script would look successful to the schema engine and its error would surface as an unhandled
 * rejection. This factory awaits the script and reports its error the way the adapter reports
 * query errors.
 *
 * `shadow` is the database the engine uses to replay migrations; by default the adapter opens a new
 * in-memory PGlite per call (seconds each) and never closes it.
 */
export function migrationAwarePGliteAdapter(
  pglite: PGlite,
  shadow: PGlite = pglite,
): SqlMigrationAwareDriverAdapterFactory {
  const factory = new PrismaPGlite(pglite);
  const shadowFactory = shadow === pglite ? factory : new PrismaPGlite(shadow);
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => withAwaitedScripts(await factory.connect(), pglite),
    connectToShadowDb: async () => withAwaitedScripts(await shadowFactory.connect(), shadow),
  };
}

type AdapterWithErrorMapping = SqlDriverAdapter & { onError(error: unknown): never };

function withAwaitedScripts(adapter: SqlDriverAdapter, pglite: PGlite): SqlDriverAdapter {
  const mapped = adapter as AdapterWithErrorMapping;
  adapter.executeScript = async (script: string) => {
    try {
      await pglite.exec(script);
    } catch (error) {
      mapped.onError(error);
    }
  };
  return adapter;
}
