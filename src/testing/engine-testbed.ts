import { afterAll, afterEach, beforeAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "./databases";
import { type ReceiverHandler, startReceiver, type TestReceiver } from "./receiver";

/** What the engine's tests share: one test database per file, and receivers and runners per test. */
export interface EngineTestbed {
  /** The file's test database (created before its first test, dropped after its last). */
  readonly database: TestDatabase;
  /** A real receiver on 127.0.0.1, closed after the test. */
  receiver(handler?: ReceiverHandler): Promise<TestReceiver>;
  /** Stops `runner` after the test, once the test's receivers are closed. */
  track<Runner extends { stop(): Promise<unknown> }>(runner: Runner): Runner;
}

/** Registers the hooks that set the testbed up and tear it down; call it at a test file's top level. */
export function useEngineTestbed(): EngineTestbed {
  let database: TestDatabase | undefined;
  const receivers: TestReceiver[] = [];
  const runners: { stop(): Promise<unknown> }[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });
  afterEach(async () => {
    // Receivers first: an attempt a receiver never answers would hold a runner's stop() until its timeout.
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
  });
  return {
    get database() {
      if (!database) throw new Error("the engine testbed's database exists only while its tests run");
      return database;
    },
    async receiver(handler) {
      const started = await startReceiver(handler);
      receivers.push(started);
      return started;
    },
    track(runner) {
      runners.push(runner);
      return runner;
    },
  };
}
