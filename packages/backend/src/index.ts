import { createFabricBackend } from './backend';

// When a plugin or module fails to start (invalid config, a bad cron expression, ...), Backstage
// logs it, lets the other plugins finish, then rejects start() - and leaves the process up,
// serving whatever did start, with only an "unhandled rejection" in the log. A half-started
// portal must not look alive to its supervisor: say what failed (the message names each plugin
// and its error, which names the config key) and exit non-zero.
createFabricBackend()
  .start()
  .catch((error: Error) => {
    process.stderr.write(
      `Fabric Portal backend failed to start:\n${error?.message ?? error}\n`,
    );
    process.exit(1);
  });
