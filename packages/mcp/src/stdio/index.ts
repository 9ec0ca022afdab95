// Node-only: the stdio bridge (`agentos-mcp`) for MCP clients that can only spawn a process.
export { type Bridge, type BridgeOptions, bridgeStdioToStudio } from "./bridge";
export { type BridgeConfig, BridgeEnv, loadBridgeConfig } from "./config";
