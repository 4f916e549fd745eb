/** Public surface of the executor agent: the agent, job submission, Dockerfile generation and helpers. */
export { createAgent, type Agent, type AgentDeps, type AgentOptions, type AgentSummary } from './agent.js';
export {
  createJobSubmitter,
  submitJobs,
  validateJobSpec,
  type JobSpec,
  type JobSubmitter,
  type JobSubmitterDeps,
  type SubmittedJob,
} from './submit.js';
export {
  generateDockerfile,
  categoryOfExitCode,
  stepWork,
  FAILURE_EXIT_CODES,
  MANAGED_LABEL,
  MANAGED_VALUE,
  NAMESPACE_LABEL,
  POOL_LABEL,
  type DockerfileOptions,
  type DockerfilePlan,
  type PlannedFailure,
  type PlannedStep,
} from './dockerfile.js';
export {
  createBuildDriver,
  type BuildDriver,
  type BuildDriverDeps,
  type BuildRequest,
  type BuildResult,
  type StepResult,
} from './build-driver.js';
export { createBuildStreamParser, createJsonLineSplitter, type BuildStreamEvent, type BuildStreamParser } from './build-stream.js';
export { checkDirective, type DirectiveContext, type DirectiveVerdict } from './directive-rules.js';
export {
  createImageHygiene,
  imageTag,
  removeImagesByLabel,
  DEFAULT_HYGIENE_POLICY,
  type HygienePolicy,
  type ImageHygiene,
} from './hygiene.js';
export { buildIdOf, type EventSink, type JobOutcome } from './job-runner.js';
export { jobsGroupId } from './job-consumer.js';
export { dockerFromConfig } from './docker-client.js';
