export * from "./cloud";
export { PORTS, type PortSpec, type Probe } from "./deploy/ports";
export {
  type DeploymentSettings,
  type DockerAccess,
  PROCESS_SPECS,
  type ProcessName,
  type ProcessSpec,
  serverProcess,
  studioProcess,
  webProcess,
  workerProcess,
} from "./deploy/processes";
export { SECRET_VARIABLES } from "./deploy/secrets";
