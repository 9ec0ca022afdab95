export {
  fixedModelResolver,
  fixedToolResolver,
  insertAgent,
  insertProvider,
  openTestDatabase,
  queueRun,
} from "./harness";
export { type ScriptedTurn, scriptedModel } from "./scripted-model";
