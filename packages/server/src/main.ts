import { loadServerConfig, startServer } from "./index";

try {
  const server = await startServer(loadServerConfig());
  console.log(`agentos-server listening on ${server.url}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`agentos-server: ${signal}, draining`);
    await server.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
