/**
 * A pool thread for thread-pool.test.ts that fails as it starts, with an error of its own class
 * (as a database driver's is): what reaches the pool is not an Error of the main thread's realm.
 */
class StartFailure extends Error {
  readonly code = "START_FAILED";
}
throw new StartFailure("cannot open");
