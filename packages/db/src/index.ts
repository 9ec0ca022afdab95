export {
  type BackupResult,
  backupDatabase,
  restoreDatabase,
  type SchemaState,
  schemaStateOf,
} from "./backup";
export { type ChangeFeed, createChangeFeed } from "./change-feed";
export { createSecretCipher, loadOrCreateSecretKey, parseSecretKey, type SecretCipher } from "./cipher";
export { type Database, type DatabaseOptions, DEFAULT_DATABASE_URL, openDatabase } from "./client";
export { type MigrationResult, migrate } from "./migrate";
export { createRepositories, hashToken, type Repositories } from "./repositories";
export { type ListQuery, nowIso, type Page, ResourceRepository } from "./resource-repository";
export { type ClaimedRun, createRunStore, type RunStore } from "./run-store";
export * as schema from "./schema";
export {
  createStudioMetaRepository,
  legacySandboxScopeOfKey,
  type StudioMetaRepository,
} from "./studio-meta";
