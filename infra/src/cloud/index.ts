export {
  type CloudInput,
  type CloudShape,
  cloudShape,
  type ScalingRules,
  secretNameOf,
  type WorkerRoute,
} from "./shape";
