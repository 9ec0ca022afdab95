import { bridgeStdioToStudio } from "./bridge";
import { loadBridgeConfig } from "./config";

try {
  const bridge = await bridgeStdioToStudio(loadBridgeConfig(process.env));
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void bridge.close());
  await bridge.closed;
  process.exit(0);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
