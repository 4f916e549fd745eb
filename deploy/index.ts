/** Public surface of the deploy part: the local stack. */
export {
  stackUp,
  stackDown,
  stackStatus,
  stackStopService,
  stackPaths,
  type StackStatus,
  type ServiceStatus,
  type StackPaths,
} from './stack/index.js';
export { BASE_IMAGE_APPLETS, socketPath } from './stack/docker.js';
