export {
  type BuiltImage,
  bridgeGateway,
  buildImage,
  docker,
  dockerSocketGroup,
  REPO_ROOT,
  removeSandboxes,
  runCommand,
  startRelay,
  waitUntil,
} from "./docker";
